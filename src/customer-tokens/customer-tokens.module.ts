import { Module } from '@nestjs/common';
import { CustomerTokensController } from './customer-tokens.controller';
import { DemoTokensController } from './demo-tokens.controller';
import { MintCustomerTokenHandler } from './mint-customer-token.handler';

/**
 * Customer tokens (PRODUCT.md §6, docs/widgets-server.md): `POST /v1/accounts/{id}/customer-tokens`.
 * Signing and checking live in the HTTP kernel (src/http/auth/customer-token*.ts), which every
 * request passes; this module only mints. The demo route exists only with DEMO_TOKENS=true.
 */
@Module({})
export class CustomerTokensModule {
  static register(options: { demoTokens: boolean }) {
    return {
      module: CustomerTokensModule,
      controllers: [
        CustomerTokensController,
        ...(options.demoTokens ? [DemoTokensController] : []),
      ],
      providers: [MintCustomerTokenHandler],
    };
  }
}
