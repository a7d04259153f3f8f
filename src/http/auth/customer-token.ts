import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Customer tokens (PRODUCT.md §6): what a product backend hands a browser instead of an API key.
 * Signed, not stored: `ct1.<account id, base64url>.<expiry, unix seconds>.<HMAC-SHA256, base64url>`
 * with the MAC over everything before it. Nothing to look up per request and nothing to clean up;
 * rotating CUSTOMER_TOKEN_SECRET revokes every token at once. The account id is readable by the
 * holder (it is their own); the token grants nothing beyond it (src/http/auth/customer-access.ts).
 */
export const CUSTOMER_TOKEN_PREFIX = 'ct1.';

/** Longer than any token we mint (a 128-character account id): refused before any work. */
const MAX_TOKEN_LENGTH = 512;
const TOKEN_PATTERN = /^ct1\.([A-Za-z0-9_-]{1,200})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface CustomerTokenClaims {
  accountId: string;
  expiresAt: Date;
}

export type VerifiedCustomerToken =
  | { valid: true; claims: CustomerTokenClaims }
  | { valid: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export class CustomerTokenSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  /** A signer with a random key: tokens die with the process and no other replica accepts them. */
  static withRandomSecret(): CustomerTokenSigner {
    return new CustomerTokenSigner(randomBytes(32).toString('hex'));
  }

  mint(accountId: string, expiresAt: Date): string {
    const body = `${CUSTOMER_TOKEN_PREFIX}${Buffer.from(accountId, 'utf8').toString('base64url')}.${Math.floor(expiresAt.getTime() / 1000)}`;
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** Checks the MAC (constant time) before reading anything else, then the expiry against `now`. */
  verify(token: string, now: Date): VerifiedCustomerToken {
    if (token.length > MAX_TOKEN_LENGTH) return { valid: false, reason: 'malformed' };
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return { valid: false, reason: 'malformed' };
    const body = token.slice(0, token.length - match[3].length - 1);
    const sent = Buffer.from(match[3], 'base64url');
    const expected = this.mac(body);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      return { valid: false, reason: 'bad_signature' };
    }
    const expiresAt = new Date(Number(match[2]) * 1000);
    if (expiresAt.getTime() <= now.getTime()) return { valid: false, reason: 'expired' };
    return {
      valid: true,
      claims: { accountId: Buffer.from(match[1], 'base64url').toString('utf8'), expiresAt },
    };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }
}

/** Whether a bearer secret is meant as a customer token (else it is taken for an API key). */
export function looksLikeCustomerToken(secret: string): boolean {
  return secret.startsWith(CUSTOMER_TOKEN_PREFIX);
}
