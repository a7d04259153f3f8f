import { Module } from '@nestjs/common';
import { PROJECTION_PROVIDERS } from './projection-runtime';
import { ProjectionWaiter } from './projection-waiter';

/**
 * The projectors of this process (roles all and projector), their metrics, and the read-your-writes
 * waits that projected reads offer (ProjectionWaiter, exported for them).
 */
@Module({
  providers: PROJECTION_PROVIDERS,
  exports: [ProjectionWaiter],
})
export class ProjectionsModule {}
