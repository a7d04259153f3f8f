import type { MessageEvent } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';
import { BalanceStreams } from './balance-streams';
import { WatchBalance } from './watch-balance.query';

@QueryHandler(WatchBalance)
export class WatchBalanceHandler implements IQueryHandler<WatchBalance> {
  constructor(private readonly streams: BalanceStreams) {}

  execute(query: WatchBalance): Promise<Observable<MessageEvent>> {
    return this.streams.watch(query.accountId, query.options);
  }
}
