import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { AccountChanges } from './account-changes';
import { BalanceStreamController } from './balance-stream.controller';
import { BalanceStreams } from './balance-streams';
import { LIVE_BALANCE_PROBLEMS } from './live-balance-problems';
import { WatchBalanceHandler } from './watch-balance.handler';

/**
 * Live balance (PRODUCT.md §5, docs/widgets-server.md): `GET /v1/accounts/{id}/balance/stream`,
 * Server-Sent Events fed by one tailer of the global log per process (AccountChanges), the balance
 * itself read with the accounts feature's GetBalance query.
 */
@Module({
  controllers: [BalanceStreamController],
  providers: [AccountChanges, BalanceStreams, WatchBalanceHandler],
})
export class LiveBalanceModule implements OnApplicationBootstrap {
  constructor(
    problems: ProblemCatalog,
    private readonly streams: BalanceStreams,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    problems.register(LIVE_BALANCE_PROBLEMS);
  }

  /**
   * The HTTP server waits for requests in flight before it closes (src/app/http-drain.ts): streams
   * never finish by themselves, so they end as soon as it starts closing.
   */
  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('preClose', (done) => {
      this.streams.closeAll();
      done();
    });
  }
}
