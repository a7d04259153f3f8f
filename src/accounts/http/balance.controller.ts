import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CheckCredits } from '../queries/check-credits.query';
import { GetBalance } from '../queries/get-balance.query';
import { AcceptsCustomerToken } from '../../http/auth/customer-access';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { BalanceQuery, CheckRequest } from './dto/requests';
import { BalanceResponse, CheckResponse } from './dto/responses';
import { AccountRoute, BodyRoute } from '../../http/route-docs';

@ApiTags('balance')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class BalanceController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('balance')
  @RequireScope('read')
  @AcceptsCustomerToken()
  @ApiOperation({
    summary: 'Balance, available and reserved credits, and the blocks (strongly consistent)',
  })
  @ApiOkResponse({ type: BalanceResponse })
  balance(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: BalanceQuery,
  ): Promise<BalanceResponse> {
    return this.queryBus.execute(
      new GetBalance(accountId, query.at ? new Date(query.at) : undefined),
    );
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
    return this.queryBus.execute(new CheckCredits(accountId, body.credits));
  }
}
