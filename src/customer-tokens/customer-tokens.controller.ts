import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../http/auth/scopes.decorator';
import { AccountRoute, BodyRoute } from '../http/route-docs';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import { CustomerTokenRequest, CustomerTokenResponse } from './dto';
import { MintCustomerToken, type MintedCustomerToken } from './mint-customer-token.command';

@ApiTags('customer tokens')
@AccountRoute()
@Controller('v1/accounts/:accountId/customer-tokens')
export class CustomerTokensController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Scope `spend` (or admin): the backend that lets a user spend may let their browser look. */
  @Post()
  @RequireScope('spend')
  @BodyRoute()
  @ApiOperation({
    summary: 'Mint a short-lived token a browser can use for this one account',
    description:
      'The token works as "Authorization: Bearer <token>" for this account only: its balance and balance stream ' +
      '(also as ?token=), quotes, transactions, the credit-pack list and checkout sessions for it. Any other ' +
      'route or account: 403. Signed with CUSTOMER_TOKEN_SECRET (rotating it revokes every token); nothing is stored.',
  })
  @ApiCreatedResponse({ type: CustomerTokenResponse })
  mint(
    @Param('accountId', AccountIdPipe) accountId: string,
    // Not `| undefined`: the union would erase the type the validation pipe reads. A POST without
    // a body arrives as undefined all the same.
    @Body() body: CustomerTokenRequest,
  ): Promise<MintedCustomerToken> {
    return this.commandBus.execute(new MintCustomerToken(accountId, body?.ttlSeconds));
  }
}
