import type { MessageEvent } from '@nestjs/common';
import { Query } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';

export interface WatchBalanceOptions {
  /** The stream ends then (the customer token that opened it expires). */
  until?: Date;
  /** Aborted when the client has gone (before or after the stream started). */
  signal?: AbortSignal;
}

/**
 * The account's balance now and after every change, as Server-Sent Events: `balance` events with
 * the balance answer, heartbeat comments in between. Rejects (503) when the process has no room.
 */
export class WatchBalance extends Query<Observable<MessageEvent>> {
  constructor(
    readonly accountId: string,
    readonly options: WatchBalanceOptions = {},
  ) {
    super();
  }
}
