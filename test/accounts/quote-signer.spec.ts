import type { AppConfig } from '../../src/config/app-config';
import {
  MAX_SIGNED_QUOTE_ID_LENGTH,
  QuoteSigner,
  type QuotePromise,
} from '../../src/accounts/pricing/quote-signer';

const config = (secret: string | null) => ({ customerTokens: { secret } }) as unknown as AppConfig;
const SECRET = 'a-quote-test-secret-0123456789abcdef';

const promise: QuotePromise = {
  operation: {
    operationId: 'video-export',
    quantity: 90,
    dimensions: { resolution: '4k' },
    rateCardVersion: 3,
  },
  credits: 40,
  expiresAt: '2026-03-01T12:10:00.000Z',
};

/** Signed quotes (src/accounts/pricing/quote-signer.ts): what a quote promised, for its account only. */
describe('QuoteSigner', () => {
  const signer = QuoteSigner.fromConfig(config(SECRET));

  it('gives back exactly what it signed, for the account it signed it for', () => {
    const quoteId = signer.sign('acct-1', promise);
    expect(quoteId).toMatch(/^quote_q1\./);
    expect(QuoteSigner.isSigned(quoteId)).toBe(true);
    expect(signer.verify('acct-1', quoteId)).toEqual(promise);
    // Another replica with the same secret verifies it too.
    expect(QuoteSigner.fromConfig(config(SECRET)).verify('acct-1', quoteId)).toEqual(promise);
  });

  it('gives every quote its own id, even two equal ones at the same instant', () => {
    expect(signer.sign('acct-1', promise)).not.toBe(signer.sign('acct-1', promise));
  });

  it("refuses another account's quote, an altered one, another key's, and what is not a quote", () => {
    const quoteId = signer.sign('acct-1', promise);
    expect(signer.verify('acct-2', quoteId)).toBeNull();
    // The account and the body are not run together: "acct-1" + "x…" is not "acct-1x" + "…".
    expect(signer.verify('acct-1\u0000', quoteId)).toBeNull();
    const [prefix, payload, mac] = quoteId.split('.');
    const cheaper = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace(',40,', ',1,'),
    ).toString('base64url');
    expect(signer.verify('acct-1', `${prefix}.${cheaper}.${mac}`)).toBeNull();
    const flipped = mac.startsWith('A') ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
    expect(signer.verify('acct-1', `${prefix}.${payload}.${flipped}`)).toBeNull();
    expect(
      QuoteSigner.fromConfig(config('another-secret-0123456789abcdefghij')).verify(
        'acct-1',
        quoteId,
      ),
    ).toBeNull();
    for (const other of ['quote_0b6f7c1e-uuid', 'quote_q1.', 'quote_q1..x', `${quoteId}=`, ''])
      expect(signer.verify('acct-1', other)).toBeNull();
    expect(QuoteSigner.isSigned('quote_0b6f7c1e-1111-4222-8333-944445555666')).toBe(false);
  });

  it('fits the longest operation a card allows within MAX_SIGNED_QUOTE_ID_LENGTH', () => {
    const dimensions = Object.fromEntries(
      Array.from({ length: 8 }, (_, index) => [`d${index}`.padEnd(32, 'x'), 'v'.padEnd(32, 'y')]),
    );
    const longest = signer.sign('acct-1', {
      operation: {
        operationId: 'o'.padEnd(64, 'p'),
        quantity: 1_000_000_000,
        dimensions,
        rateCardVersion: 999_999_999,
      },
      credits: 1_000_000_000_000,
      expiresAt: '2099-12-31T23:59:59.999Z',
    });
    expect(longest.length).toBeLessThanOrEqual(MAX_SIGNED_QUOTE_ID_LENGTH);
    expect(signer.verify('acct-1', longest)?.operation.dimensions).toEqual(dimensions);
  });
});
