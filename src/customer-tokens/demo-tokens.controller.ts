import { Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth/scopes.decorator';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import { MintCustomerToken, type MintedCustomerToken } from './mint-customer-token.command';

/**
 * The demo shell's own server-side route (`/app/` in development): a customer token for any account,
 * WITHOUT an API key. Registered only when DEMO_TOKENS=true (the default only when NODE_ENV is
 * development; refused at start in production). Not part of the API, so not in the OpenAPI document.
 */
@ApiExcludeController()
@Public()
@Controller('demo/accounts/:accountId/customer-token')
export class DemoTokensController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  async mint(
    @Param('accountId', AccountIdPipe) accountId: string,
  ): Promise<MintedCustomerToken & { accountId: string }> {
    const minted = await this.commandBus.execute(new MintCustomerToken(accountId));
    return { accountId, ...minted };
  }
}
