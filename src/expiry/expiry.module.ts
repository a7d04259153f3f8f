import { Module } from '@nestjs/common';
import { WorkerRuntime } from './worker-runtime';

/**
 * The expiry worker (roles all and worker): finds due blocks and holds in the read models and sends
 * ordinary expire commands on the command bus.
 */
@Module({
  providers: [WorkerRuntime],
})
export class ExpiryModule {}
