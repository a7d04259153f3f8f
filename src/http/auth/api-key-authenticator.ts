import { hash, timingSafeEqual } from 'node:crypto';
import type { ApiKey, ApiScope } from '../../config/app-config';

export interface Principal {
  name: string;
  scopes: ApiScope[];
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
