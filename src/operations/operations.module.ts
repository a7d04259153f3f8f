import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { DatabaseHealthIndicator, EventStoreHealthIndicator } from './health-indicators';
import { MetricsController } from './metrics.controller';

/**
 * Operations: health (liveness and readiness, with @nestjs/terminus) and Prometheus metrics.
 *
 * Needs from the application, visible in this module (a global module, or one this module
 * imports that exports them): DATABASE and EVENT_STORE (the health indicators) and
 * MetricsRegistry (the metrics controller).
 */
@Module({
  // terminus logs every failed check; readiness is polled every few seconds by load balancers,
  // and the reason is in the answer already (and the database's own log says why it failed).
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [DatabaseHealthIndicator, EventStoreHealthIndicator],
})
export class OperationsModule {}
