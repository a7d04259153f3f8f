import { CustomerTokenSigner } from '../../src/http/auth/customer-token';
import { redactUrlSecrets } from '../../src/observability/logger-options';

const signer = new CustomerTokenSigner('unit-test-secret-0123456789abcdefghij');
const expiresAt = new Date('2026-03-01T12:15:00.000Z');
const before = new Date('2026-03-01T12:14:59.999Z');

describe('customer tokens (src/http/auth/customer-token.ts)', () => {
  it('carries its account and expiry, and is valid until the expiry', () => {
    const token = signer.mint('org:acme@eu', expiresAt);
    expect(token).toMatch(/^ct1\.[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(token, before)).toEqual({
      valid: true,
      claims: { accountId: 'org:acme@eu', expiresAt },
    });
    expect(signer.verify(token, expiresAt)).toEqual({ valid: false, reason: 'expired' });
  });

  it('refuses a token signed with another secret, or changed anywhere', () => {
    const token = signer.mint('user:1', expiresAt);
    const other = new CustomerTokenSigner('another-secret-0123456789abcdefghijk');
    expect(other.verify(token, before)).toEqual({ valid: false, reason: 'bad_signature' });
    const parts = token.split('.');
    const forgedAccount = [
      parts[0],
      Buffer.from('user:2').toString('base64url'),
      parts[2],
      parts[3],
    ];
    expect(signer.verify(forgedAccount.join('.'), before).valid).toBe(false);
    const longer = [parts[0], parts[1], String(Number(parts[2]) + 1), parts[3]];
    expect(signer.verify(longer.join('.'), before).valid).toBe(false);
  });

  it('refuses what is not a token at all, however long', () => {
    for (const junk of ['', 'ct1.', 'ct1.a.b.c', `ct1.${'a'.repeat(600)}.1.x`, 'svc-secret-1']) {
      expect(signer.verify(junk, before)).toEqual({ valid: false, reason: 'malformed' });
    }
  });

  it('is taken out of URLs before they are logged', () => {
    expect(redactUrlSecrets('/v1/accounts/a/balance/stream?token=ct1.x.1.y&b=2')).toBe(
      '/v1/accounts/a/balance/stream?token=[redacted]&b=2',
    );
    expect(redactUrlSecrets('/x?a=1&TOKEN=abc#f')).toBe('/x?a=1&TOKEN=[redacted]#f');
  });
});
