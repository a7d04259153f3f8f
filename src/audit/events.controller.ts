import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRepository } from '../accounts/write-path/account-repository';
import type { RecordedEvent } from '../event-store/event-store.port';
import { AccountRoute } from '../http/route-docs';
import { RequireScope } from '../http/auth/scopes.decorator';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import {
  DEFAULT_EVENTS_LIMIT,
  EventsPageResponse,
  EventsQuery,
  type RawEventResponse,
} from './events.dto';

/**
 * The raw stream of an account for finance audits (API.md, scope `finance`): the events exactly as
 * stored, in stream order, read from the event store itself (never a projection). An account with
 * no stream has no events; that is an empty page, not a 404, as its balance is 0, not a 404.
 */
@ApiTags('audit')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class EventsController {
  constructor(private readonly accounts: AccountRepository) {}

  @Get('events')
  @RequireScope('finance')
  @ApiOperation({
    summary: "The account's raw events, in stream order (finance)",
    description:
      'Page with fromRevision and limit (1–1000, default 100); nextRevision is null once the end of the stream was reached. ' +
      'Fold the pages with the rules of LEDGER.md to prove any balance; `npm run ledger -- audit` does it and checks the invariants.',
  })
  @ApiOkResponse({ type: EventsPageResponse })
  async list(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: EventsQuery,
  ): Promise<EventsPageResponse> {
    const fromRevision = query.fromRevision === undefined ? 0 : Number(query.fromRevision);
    const limit = query.limit === undefined ? DEFAULT_EVENTS_LIMIT : Number(query.limit);
    // One more than asked: whether it comes back tells if the stream goes on.
    const events = await this.accounts.readRange(accountId, fromRevision, fromRevision + limit);
    const page = events.slice(0, limit);
    return {
      accountId,
      data: page.map(toRawEvent),
      nextRevision: events.length > limit ? page[page.length - 1].revision + 1 : null,
    };
  }
}

function toRawEvent(event: RecordedEvent): RawEventResponse {
  return {
    revision: event.revision,
    position: event.position,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
    eventId: event.eventId,
  };
}
