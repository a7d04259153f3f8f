import { Module } from '@nestjs/common';
import { PROJECTION_PROVIDERS } from './projection-runtime';
import { ProjectionWaiter } from './projection-waiter';
import { ReactorRegistry } from './reactor-registry';

/**
 * The projectors of this process (roles all and projector), their metrics, and the read-your-writes
 * waits that projected reads offer (ProjectionWaiter, exported for them), and the registry where
 * feature modules put their reactors (ReactorRegistry).
 */
@Module({
  providers: PROJECTION_PROVIDERS,
  exports: [ProjectionWaiter, ReactorRegistry],
})
export class ProjectionsModule {}
