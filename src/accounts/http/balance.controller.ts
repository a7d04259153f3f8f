import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountQueries } from '../queries/account-queries';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { BalanceQuery, CheckRequest } from './dto/requests';
import { BalanceResponse, CheckResponse } from './dto/responses';
import { AccountRoute, BodyRoute } from '../../http/route-docs';

@ApiTags('balance')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class BalanceController {
  constructor(private readonly queries: AccountQueries) {}

  @Get('balance')
  @RequireScope('read')
  @ApiOperation({
    summary: 'Balance, available and reserved credits, and the blocks (strongly consistent)',
  })
  @ApiOkResponse({ type: BalanceResponse })
  balance(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: BalanceQuery,
  ): Promise<BalanceResponse> {
    return query.at
      ? this.queries.balanceAt(accountId, new Date(query.at))
      : this.queries.balance(accountId);
  }

  @Post('check')
  @HttpCode(200)
  @RequireScope('spend')
  @ApiOperation({ summary: 'Would a spend of this many credits succeed now? Writes nothing' })
  @ApiOkResponse({ type: CheckResponse })
  @BodyRoute()
  check(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Body() body: CheckRequest,
  ): Promise<CheckResponse> {
    return this.queries.check(accountId, body.credits);
  }
}
