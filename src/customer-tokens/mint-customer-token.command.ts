import { Command } from '@nestjs/cqrs';

export interface MintedCustomerToken {
  token: string;
  expiresAt: string;
}

/** A customer token for one account (PRODUCT.md §6), for `ttlSeconds` or the configured default. */
export class MintCustomerToken extends Command<MintedCustomerToken> {
  constructor(
    readonly accountId: string,
    readonly ttlSeconds?: number,
  ) {
    super();
  }
}
