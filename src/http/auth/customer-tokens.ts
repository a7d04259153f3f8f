import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { Clock } from '../../shared/clock';
import {
  CustomerTokenSigner,
  type CustomerTokenClaims,
  type VerifiedCustomerToken,
} from './customer-token';

/**
 * Mints and verifies customer tokens against the one clock. One per application (HttpKernelModule):
 * the authentication hook verifies, the customer-tokens feature mints.
 */
export class CustomerTokens {
  constructor(
    private readonly signer: CustomerTokenSigner,
    private readonly clock: Clock,
    /** Lifetime when the caller names none. */
    readonly defaultTtlSeconds: number,
  ) {}

  /**
   * With no CUSTOMER_TOKEN_SECRET (refused in production by loadConfig) a random key, said loudly:
   * tokens then die with the process and no other replica accepts them.
   */
  static fromConfig(config: AppConfig, clock: Clock): CustomerTokens {
    const { secret, ttlSeconds } = config.customerTokens;
    if (secret === null) {
      new Logger('CustomerTokens').warn(
        'CUSTOMER_TOKEN_SECRET IS NOT SET: customer tokens are signed with a random key made for this process. ' +
          'They stop working at restart and on other replicas. Set CUSTOMER_TOKEN_SECRET (32+ characters) to keep them.',
      );
    }
    const signer =
      secret === null ? CustomerTokenSigner.withRandomSecret() : new CustomerTokenSigner(secret);
    return new CustomerTokens(signer, clock, ttlSeconds);
  }

  /** A token for `accountId`, valid for `ttlSeconds` (whole seconds: the expiry is in the token). */
  mint(accountId: string, ttlSeconds = this.defaultTtlSeconds): { token: string; expiresAt: Date } {
    const expiresAtSeconds = Math.floor(this.clock.now().getTime() / 1000) + ttlSeconds;
    const expiresAt = new Date(expiresAtSeconds * 1000);
    return { token: this.signer.mint(accountId, expiresAt), expiresAt };
  }

  verify(token: string): VerifiedCustomerToken {
    return this.signer.verify(token, this.clock.now());
  }

  /** Milliseconds the claims have left now (a stream opened with them closes then). */
  remainingMs(claims: CustomerTokenClaims): number {
    return claims.expiresAt.getTime() - this.clock.now().getTime();
  }
}
