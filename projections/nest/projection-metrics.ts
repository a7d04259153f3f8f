import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DATABASE, type Database } from '../../src/database/database';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { MetricsRegistry } from '../../src/observability/metrics-registry';
import { PROJECTIONS } from '../registry';
import { readCheckpoints } from '../runtime/checkpoints';
import { measureLag } from '../runtime/lag';
import type { ProjectorObserver } from '../runtime/projector';

/** Lag counts at most this many events behind a checkpoint per scrape (the gauge saturates there). */
export const LAG_SCAN_LIMIT = 10_000;
/** Scrapes within this long share one lag measurement. */
const LAG_CACHE_MS = 1_000;

interface Lag {
  events: number;
  seconds: number;
}

/**
 * Projection metrics. Lag is measured from the stored checkpoints against the event store at
 * scrape time, so every role (api replicas too) reports it, whichever process projects:
 * - ledger_projection_lag_events: events in the log after the checkpoint (saturates at 10,000);
 * - ledger_projection_lag_seconds: how long the oldest event not yet projected has been in the log
 *   (0 when caught up): how far the projection is behind the newest events.
 * The rest is counted by the projectors of this process.
 */
@Injectable()
export class ProjectionMetrics implements ProjectorObserver {
  private readonly eventsTotal: Counter<'projection'>;
  private readonly batchSeconds: Histogram<'projection'>;
  private readonly active: Gauge<'projection'>;
  private readonly failures: Counter<'projection'>;
  private readonly sharedReadDrops: Counter;
  private lag: { at: number; value: Promise<Map<string, Lag>> } | null = null;

  constructor(
    metrics: MetricsRegistry,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {
    const registers = [metrics.registry];
    const currentLag = () => this.currentLag();
    // prom-client calls collect with the gauge as `this`.
    const measure = (pick: (lag: Lag) => number) =>
      async function (this: Gauge<'projection'>) {
        for (const [projection, lag] of await currentLag()) this.set({ projection }, pick(lag));
      };
    new Gauge({
      name: 'ledger_projection_lag_events',
      help: `Events in the global log after the projection's checkpoint (counted up to ${LAG_SCAN_LIMIT})`,
      labelNames: ['projection'],
      registers,
      collect: measure((lag) => lag.events),
    });
    new Gauge({
      name: 'ledger_projection_lag_seconds',
      help: 'Age of the oldest event the projection has not applied yet; 0 when caught up',
      labelNames: ['projection'],
      registers,
      collect: measure((lag) => lag.seconds),
    });
    this.eventsTotal = new Counter({
      name: 'ledger_projection_events_total',
      help: 'Events applied by the projectors of this process',
      labelNames: ['projection'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'ledger_projection_batch_duration_seconds',
      help: 'Time to apply one batch and store its checkpoint (one transaction)',
      labelNames: ['projection'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.active = new Gauge({
      name: 'ledger_projection_active',
      help: "1 when a projector of this process holds the projection's lock (the active one), else 0",
      labelNames: ['projection'],
      registers,
    });
    this.failures = new Counter({
      name: 'ledger_projection_failures_total',
      help: 'Batches that failed and were retried',
      labelNames: ['projection'],
      registers,
    });
    this.sharedReadDrops = new Counter({
      name: 'ledger_projection_shared_read_dropped_total',
      help: 'Times a live projector fell too far behind the shared read of the log (held batches at their limit) and went on reading on its own',
      registers,
    });
  }

  committed(projection: string, info: { events: number; seconds: number }): void {
    this.eventsTotal.inc({ projection }, info.events);
    this.batchSeconds.observe({ projection }, info.seconds);
  }

  activeChanged(projection: string, active: boolean): void {
    this.active.set({ projection }, active ? 1 : 0);
  }

  failed(projection: string): void {
    this.failures.inc({ projection });
  }

  sharedReadDropped(): void {
    this.sharedReadDrops.inc();
  }

  private currentLag(): Promise<Map<string, Lag>> {
    const now = Date.now();
    if (!this.lag || now - this.lag.at > LAG_CACHE_MS) {
      const value = this.measureLag(now).catch(() => new Map<string, Lag>());
      this.lag = { at: now, value };
    }
    return this.lag.value;
  }

  private async measureLag(now: number): Promise<Map<string, Lag>> {
    const checkpoints = await readCheckpoints(this.database.pool);
    const lags = new Map<string, Lag>();
    for (const projection of PROJECTIONS) {
      const after = checkpoints.get(projection.name)?.position ?? null;
      const sample = await measureLag(this.eventStore, this.database.pool, after, LAG_SCAN_LIMIT);
      const oldest = sample.oldestRecordedAt?.getTime();
      lags.set(projection.name, {
        events: sample.events,
        seconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000),
      });
    }
    return lags;
  }
}
