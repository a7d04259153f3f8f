import { Query } from '@nestjs/cqrs';
import type { EventsPageResponse } from '../events.dto';

/** A page of the account's raw events, in stream order, from `fromRevision`. */
export class GetEvents extends Query<EventsPageResponse> {
  constructor(
    readonly accountId: string,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}
