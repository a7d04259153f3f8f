import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HistoryPage } from '../../projections/read-models/transaction-history';
import { AcceptsCustomerToken } from '../http/auth/customer-access';
import { RequireScope } from '../http/auth/scopes.decorator';
import { AccountRoute } from '../http/route-docs';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import {
  DEFAULT_HISTORY_LIMIT,
  parseTypes,
  TransactionsPageResponse,
  TransactionsQuery,
} from './dto';
import { GetHistory } from './queries/get-history.query';

/**
 * The account's history, from the `transactions` projection (eventually consistent; see
 * docs/consistency.md). Newest first, keyset-paginated on the stream revision.
 */
@ApiTags('history')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class TransactionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('transactions')
  @RequireScope('read')
  @AcceptsCustomerToken()
  @ApiOperation({
    summary:
      'Transaction history, newest first (projected; ?after=<position> waits for your own write)',
    description:
      "One row per ledger event. `credits` is the signed change of the balance, so each row's balanceAfter is the " +
      "previous row's balanceAfter + credits; reservations and releases move credits between available and reserved " +
      '(credits 0, see reservedChange). Pages stay stable while new rows arrive.',
  })
  @ApiOkResponse({ type: TransactionsPageResponse })
  @ApiResponse({
    status: 503,
    description:
      'The projection did not reach `after` in time (code unavailable, Retry-After header)',
  })
  list(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: TransactionsQuery,
  ): Promise<HistoryPage> {
    const history = {
      accountId,
      limit: query.limit === undefined ? DEFAULT_HISTORY_LIMIT : Number(query.limit),
      cursor: query.cursor,
      types: parseTypes(query.type),
      from: query.from === undefined ? null : new Date(query.from),
      to: query.to === undefined ? null : new Date(query.to),
    };
    return this.queryBus.execute(new GetHistory(history, query.after));
  }
}
