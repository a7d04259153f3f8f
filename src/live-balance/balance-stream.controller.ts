import { Controller, Param, Req, Sse, SseSignal, type MessageEvent } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../http/auth/api-key.guard';
import { AcceptsCustomerToken, CustomerTokenInQuery } from '../http/auth/customer-access';
import { RequireScope } from '../http/auth/scopes.decorator';
import { AccountRoute } from '../http/route-docs';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import { WatchBalance } from './watch-balance.query';

/** Unread events a client may leave queued before it is disconnected (it reconnects by itself). */
const MAX_PENDING_CHARACTERS = 256 * 1024;

@ApiTags('balance')
@AccountRoute()
@Controller('v1/accounts/:accountId/balance')
export class BalanceStreamController {
  constructor(private readonly queryBus: QueryBus) {}

  @Sse('stream', { maxPendingDataLength: MAX_PENDING_CHARACTERS })
  @RequireScope('read')
  @AcceptsCustomerToken()
  @CustomerTokenInQuery()
  @ApiOperation({
    summary:
      'Live balance (Server-Sent Events): an event `balance` on connect and after every change',
    description:
      'Each `balance` event carries the `GET …/balance` answer as JSON (strongly consistent), sent when the stream ' +
      'opens and after every change to the account, fed from the global log. A comment line (`: heartbeat`) comes ' +
      'every BALANCE_STREAM_HEARTBEAT_SECONDS. EventSource cannot send headers: a customer token may be given as ' +
      '`?token=` (never an API key). A stream opened with a customer token ends when the token expires.',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({
    name: 'token',
    required: false,
    description: 'A customer token, for clients that cannot send an Authorization header',
  })
  @ApiResponse({
    status: 200,
    description: 'text/event-stream: `event: balance` + `data: <balance answer JSON>`, heartbeats',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 503,
    description:
      'unavailable: BALANCE_STREAM_MAX_CONNECTIONS streams are open on this instance (Retry-After), or the store is down',
  })
  stream(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Req() request: AuthenticatedRequest,
    @SseSignal() signal: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    return this.queryBus.execute(
      new WatchBalance(accountId, { until: request.principal?.customer?.expiresAt, signal }),
    );
  }
}
