import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerTokens } from '../http/auth/customer-tokens';
import { MintCustomerToken, type MintedCustomerToken } from './mint-customer-token.command';

/** Signs a token: nothing is stored, so nothing is written (src/http/auth/customer-token.ts). */
@CommandHandler(MintCustomerToken)
export class MintCustomerTokenHandler implements ICommandHandler<MintCustomerToken> {
  constructor(private readonly tokens: CustomerTokens) {}

  execute(command: MintCustomerToken): Promise<MintedCustomerToken> {
    const { token, expiresAt } = this.tokens.mint(command.accountId, command.ttlSeconds);
    return Promise.resolve({ token, expiresAt: expiresAt.toISOString() });
  }
}
