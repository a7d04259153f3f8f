import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** Operations: liveness and readiness, and the Prometheus metrics. */
@Module({
  controllers: [HealthController, MetricsController],
})
export class OperationsModule {}
