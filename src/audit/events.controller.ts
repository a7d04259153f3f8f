import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountRoute } from '../http/route-docs';
import { RequireScope } from '../http/auth/scopes.decorator';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import { DEFAULT_EVENTS_LIMIT, EventsPageResponse, EventsQuery } from './events.dto';
import { GetEvents } from './queries/get-events.query';

/**
 * The raw stream of an account for finance audits (API.md, scope `finance`): the events exactly as
 * stored, in stream order, read from the event store itself (never a projection). An account with
 * no stream has no events; that is an empty page, not a 404, as its balance is 0, not a 404.
 */
@ApiTags('audit')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class EventsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('events')
  @RequireScope('finance')
  @ApiOperation({
    summary: "The account's raw events, in stream order (finance)",
    description:
      'Page with fromRevision and limit (1–1000, default 100); nextRevision is null once the end of the stream was reached. ' +
      'Fold the pages with the rules of LEDGER.md to prove any balance; `npm run ledger -- audit` does it and checks the invariants.',
  })
  @ApiOkResponse({ type: EventsPageResponse })
  list(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: EventsQuery,
  ): Promise<EventsPageResponse> {
    const fromRevision = query.fromRevision === undefined ? 0 : Number(query.fromRevision);
    const limit = query.limit === undefined ? DEFAULT_EVENTS_LIMIT : Number(query.limit);
    return this.queryBus.execute(new GetEvents(accountId, fromRevision, limit));
  }
}
