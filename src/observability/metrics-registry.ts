import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per application instance (not prom-client's global one), so two app
 * instances in one test process do not collide.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(options: { collectProcessMetrics: boolean }) {
    if (options.collectProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
