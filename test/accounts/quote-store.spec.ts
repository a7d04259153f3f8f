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

/** The quotes table (docs/pricing.md): what a quote promised, read back by any instance. */
describe('QuoteStore', () => {
  let db: TestDatabase;
  let store: QuoteStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new QuoteStore({ pool: db.pool } as unknown as Database);
  });
  afterAll(() => db.drop());

  it('reads back exactly what was saved; an unknown id is null', async () => {
    await store.save(quote(1));
    expect(await store.find('quote_1')).toEqual(quote(1));
    expect(await store.find('quote_nope')).toBeNull();
  });

  it('groups saves that arrive together into few statements, and answers each once committed', async () => {
    const query = jest.spyOn(db.pool, 'query');
    try {
      const quotes = Array.from({ length: 50 }, (_, index) => quote(100 + index));
      await Promise.all(quotes.map((each) => store.save(each)));
      const inserts = query.mock.calls.filter(([sql]) => String(sql).startsWith('INSERT'));
      // The first goes alone at once; the 49 asked for meanwhile share the next statement.
      expect(inserts.length).toBeLessThanOrEqual(2);
      for (const each of quotes) expect(await store.find(each.quoteId)).toEqual(each);
    } finally {
      query.mockRestore();
    }
  });

  it('fails every save of a statement that fails, and goes on with the next ones', async () => {
    await expect(
      Promise.all([store.save(quote(1)), store.save(quote(200)), store.save(quote(201))]),
    ).rejects.toThrow();
    await store.save(quote(202));
    expect(await store.find('quote_202')).toEqual(quote(202));
  });

  it('the retention sweep deletes quotes expired for longer than the retention, no others', async () => {
    const clock = new ManualClock('2026-04-01T00:00:00.000Z');
    const longAgo = new Date(clock.now().getTime() - QUOTE_RETENTION_AFTER_EXPIRY_MS - 1);
    const recently = new Date(clock.now().getTime() - QUOTE_RETENTION_AFTER_EXPIRY_MS + 60_000);
    await store.save(quote(300, longAgo.toISOString()));
    await store.save(quote(301, recently.toISOString()));
    const retention = new QuoteRetention({ role: 'api' } as AppConfig, store, clock);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await retention.sweep();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^deleted \d+ quotes expired before/));
    log.mockRestore();
    expect(await store.find('quote_300')).toBeNull();
    expect(await store.find('quote_301')).not.toBeNull();
  });
});
