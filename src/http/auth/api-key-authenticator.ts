import { hash, timingSafeEqual } from 'node:crypto';
import type { ApiKey, ApiScope } from '../../config/app-config';
import type { CustomerTokenClaims } from './customer-token';

/**
 * Who is calling: an API key with its scopes, or a customer token (PRODUCT.md §6), which holds no
 * scope and may only use the routes that accept customer tokens, for its own account
 * (ApiKeyGuard, src/http/auth/customer-access.ts).
 */
export interface Principal {
  name: string;
  scopes: ApiScope[];
  /** Set for a customer token: the one account it acts for, and until when. */
  customer?: CustomerTokenClaims;
}

export function customerPrincipal(claims: CustomerTokenClaims): Principal {
  return { name: `customer:${claims.accountId}`, scopes: [], customer: claims };
}

/** The identity used when no keys are configured outside production (open mode). */
export const OPEN_MODE_PRINCIPAL: Principal = { name: 'open-mode', scopes: ['admin'] };

/**
 * Finds the key a bearer secret belongs to. Compares digests in constant time against every
 * configured key (no early exit), so timing reveals neither the secret nor which key matched.
 */
export class ApiKeyAuthenticator {
  private readonly keys: Array<{ key: ApiKey; digest: Buffer }>;

  constructor(keys: ApiKey[]) {
    this.keys = keys.map((key) => ({ key, digest: digest(key.secret) }));
  }

  get isOpen(): boolean {
    return this.keys.length === 0;
  }

  authenticate(secret: string): Principal | null {
    const candidate = digest(secret);
    let match: ApiKey | null = null;
    for (const { key, digest: expected } of this.keys) {
      if (timingSafeEqual(candidate, expected) && match === null) match = key;
    }
    return match ? { name: match.name, scopes: match.scopes } : null;
  }
}

export function hasScope(principal: Principal, scope: ApiScope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

/** One-shot hashing: a Hash object per request cost more than the digest itself. */
function digest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}
