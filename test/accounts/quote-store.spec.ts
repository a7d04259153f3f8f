import { Logger } from '@nestjs/common';
import type { Database } from '../../src/database/database';
import { QuoteStore } from '../../src/accounts/pricing/quote-store';
import {
  QUOTE_RETENTION_AFTER_EXPIRY_MS,
  QuoteRetention,
} from '../../src/accounts/pricing/quote-retention';
import type { StoredQuote } from '../../src/accounts/pricing/stored-quote';
import type { AppConfig } from '../../src/config/app-config';
import { ManualClock } from '../../src/shared/clock';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const quote = (n: number, expiresAt = '2026-03-01T12:10:00.000Z'): StoredQuote => ({
  quoteId: `quote_${n}`,
  accountId: `acct-${n % 3}`,
  operation: {
    operationId: 'video-export',
    quantity: n + 1,
    dimensions: { resolution: '4k' },
    rateCardVersion: 2,
  },
  operationName: 'Video export',
  credits: 10 + n,
  minimumAvailable: n % 2 === 0 ? null : 50,
  createdAt: '2026-03-01T12:00:00.000Z',
  expiresAt,
});

/**
 * What the old service wrote: one row per quote (no quote is written any more; see
 * src/accounts/pricing/quote-signer.ts).
 */
async function insertAsBefore(db: TestDatabase, each: StoredQuote): Promise<void> {
  await db.pool.query(
    `INSERT INTO quotes (quote_id, account_id, operation, operation_name, credits, minimum_available, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      each.quoteId,
      each.accountId,
      JSON.stringify(each.operation),
      each.operationName,
      each.credits,
      each.minimumAvailable,
      each.createdAt,
      each.expiresAt,
    ],
  );
}

/**
 * The quotes table (docs/pricing.md): quotes given before they were signed stay payable until they
 * expire, read back by any instance; the retention sweep empties it.
 */
describe('QuoteStore', () => {
  let db: TestDatabase;
  let store: QuoteStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new QuoteStore({ pool: db.pool } as unknown as Database);
  });
  afterAll(() => db.drop());

  it('reads back exactly what was kept; an unknown id is null', async () => {
    await insertAsBefore(db, quote(1));
    await insertAsBefore(db, quote(2));
    expect(await store.find('quote_1')).toEqual(quote(1));
    expect(await store.find('quote_2')).toEqual(quote(2));
    expect(await store.find('quote_nope')).toBeNull();
  });

  it('the retention sweep deletes quotes expired for longer than the retention, no others', async () => {
    const clock = new ManualClock('2026-04-01T00:00:00.000Z');
    const longAgo = new Date(clock.now().getTime() - QUOTE_RETENTION_AFTER_EXPIRY_MS - 1);
    const recently = new Date(clock.now().getTime() - QUOTE_RETENTION_AFTER_EXPIRY_MS + 60_000);
    await insertAsBefore(db, quote(300, longAgo.toISOString()));
    await insertAsBefore(db, quote(301, recently.toISOString()));
    const retention = new QuoteRetention({ role: 'api' } as AppConfig, store, clock);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await retention.sweep();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^deleted \d+ quotes expired before/));
    log.mockRestore();
    expect(await store.find('quote_300')).toBeNull();
    expect(await store.find('quote_301')).not.toBeNull();
  });
});
