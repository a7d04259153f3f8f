import { ManualClock } from '../../src/shared/clock';
import {
  InMemoryRateCards,
  TEST_OPERATIONS,
  doubledPrices,
  useRateCards,
} from '../support/rate-cards';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const grantKey = { key: TEST_KEYS.granter };
const finance = { key: TEST_KEYS.finance };
const SECOND = 1000;
/**
 * No background worker writing between the steps of a test. One CUSTOMER_TOKEN_SECRET for the two
 * instances of the race test: quotes are signed with a key derived from it.
 */
const QUIET = {
  WORKER_INTERVAL_MS: '3600000',
  QUOTE_TTL_SECONDS: '600',
  CUSTOMER_TOKEN_SECRET: 'quotes-e2e-secret-0123456789abcdef',
};

/**
 * Quotes over HTTP on PostgreSQL (PRODUCT.md §1, API.md "Prices"): a quote prices an operation for
 * an account and says whether it can run now, writes no ledger event, and a spend or reservation
 * naming it pays exactly its credits once, before it expires, on any instance.
 */
describe('quotes', () => {
  let database: TestDatabase;
  let t: TestApp;
  let cards: InMemoryRateCards;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({ clock, database, env: QUIET });
    cards = new InMemoryRateCards(TEST_OPERATIONS);
    useRateCards(t.app, cards);
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  const grant = (account: string, credits: number) =>
    t.http.post(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
  const quote = (account: string, body: Record<string, unknown>) =>
    t.http.post(`/v1/accounts/${account}/quotes`, body);
  const spend = (account: string, body: Record<string, unknown>, headers = {}) =>
    t.http.post(`/v1/accounts/${account}/spends`, body, { headers });
  const eventsOf = async (account: string) =>
    (await t.http.get(`/v1/accounts/${account}/events`, finance)).body.data as {
      type: string;
      data: Record<string, any>;
    }[];
  const exportIn4k = { operation: 'video-export', quantity: 90, dimensions: { resolution: '4k' } };

  it('prices an operation for the account, says whether it can run, and writes no ledger event', async () => {
    await grant('quote-answer', 130);
    const answer = await quote('quote-answer', exportIn4k);
    expect(answer.status).toBe(201);
    // 90 s is 2 started minutes: 2 × 8 = 16, × 2.5 for 4k = 40.
    expect(answer.body).toEqual({
      quoteId: expect.stringMatching(/^quote_/),
      credits: 40,
      breakdown: {
        operationId: 'video-export',
        quantity: 90,
        unitSize: 60,
        units: 2,
        base: 0,
        perUnit: 8,
        minimum: 8,
        subtotal: 16,
        multipliers: [{ dimension: 'resolution', value: '4k', factor: 2.5 }],
        credits: 40,
      },
      rateCardVersion: 1,
      expiresAt: '2026-03-01T12:10:00.000Z',
      available: 130,
      sufficient: true,
      balanceAfter: 90,
      // 90 left is below LOW_BALANCE_THRESHOLD (100).
      lowBalance: true,
    });
    const small = await quote('quote-answer', { operation: 'stem-separation' });
    expect(small.body).toMatchObject({ credits: 10, balanceAfter: 120, lowBalance: false });
    expect((await eventsOf('quote-answer')).map((event) => event.type)).toEqual(['CreditsGranted']);
  });

  it('answers from the write side: a spend just made counts, and insufficient is said', async () => {
    await grant('quote-fresh', 50);
    await spend('quote-fresh', { credits: 20, description: 'before the quote' });
    const answer = await quote('quote-fresh', exportIn4k);
    expect(answer.body).toMatchObject({
      credits: 40,
      available: 30,
      sufficient: false,
      balanceAfter: -10,
      lowBalance: true,
    });
  });

  it('is not sufficient below the operation minimumAvailable, even when the price is affordable', async () => {
    await grant('quote-minimum', 150);
    const answer = await quote('quote-minimum', {
      operation: 'ai-generation',
      dimensions: { complexity: 'low' },
    });
    expect(answer.body).toMatchObject({ credits: 20, available: 150, sufficient: false });
  });

  it('a spend naming the quote pays exactly its credits once, even after a new card', async () => {
    await grant('quote-pay', 200);
    const given = await quote('quote-pay', exportIn4k);
    cards.publish(doubledPrices());
    try {
      const paid = await spend('quote-pay', { quoteId: given.body.quoteId });
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({
        credits: 40,
        balance: 160,
        quoteId: given.body.quoteId,
        operation: {
          operationId: 'video-export',
          quantity: 90,
          dimensions: { resolution: '4k' },
          rateCardVersion: 1,
        },
      });
      const spent = (await eventsOf('quote-pay')).find((event) => event.type === 'CreditsSpent');
      expect(spent?.data).toMatchObject({
        credits: 40,
        description: 'Video export',
        quote: { quoteId: given.body.quoteId, expiresAt: given.body.expiresAt },
        operation: { operationId: 'video-export', rateCardVersion: 1 },
      });

      const again = await spend('quote-pay', { quoteId: given.body.quoteId });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'quote_used', quoteId: given.body.quoteId });
      expect((await t.http.get('/v1/accounts/quote-pay/balance')).body.balance).toBe(160);
    } finally {
      cards.publish(TEST_OPERATIONS);
    }
  });

  it('a reservation naming the quote holds its credits and uses it up', async () => {
    await grant('quote-hold', 100);
    const given = await quote('quote-hold', { operation: 'stem-separation' });
    const hold = await t.http.post('/v1/accounts/quote-hold/reservations', {
      quoteId: given.body.quoteId,
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ credits: 10, quoteId: given.body.quoteId });
    const spendToo = await spend('quote-hold', { quoteId: given.body.quoteId, description: 'x' });
    expect(spendToo.status).toBe(409);
    expect(spendToo.body.code).toBe('quote_used');
  });

  it('refuses an expired quote with 409 quote_expired and writes nothing', async () => {
    await grant('quote-late', 100);
    const given = await quote('quote-late', { operation: 'stem-separation' });
    clock.advance(600 * SECOND);
    const late = await spend('quote-late', { quoteId: given.body.quoteId });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'quote_expired',
      quoteId: given.body.quoteId,
      expiresAt: given.body.expiresAt,
    });
    expect((await eventsOf('quote-late')).map((event) => event.type)).toEqual(['CreditsGranted']);
  });

  it("does not let an account pay another account's quote (404), nor a quote never given", async () => {
    await grant('quote-mine', 100);
    await grant('quote-thief', 100);
    const given = await quote('quote-mine', { operation: 'stem-separation' });
    const stolen = await spend('quote-thief', { quoteId: given.body.quoteId });
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('not_found');
    const unknown = await spend('quote-thief', { quoteId: 'quote_nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    // The quote's own figures altered (a cheaper price): its signature no longer holds.
    const [prefix, payload, mac] = (given.body.quoteId as string).split('.');
    const cheaper = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace(',10,', ',1,'),
    ).toString('base64url');
    expect(cheaper).not.toBe(payload);
    const altered = await spend('quote-mine', { quoteId: `${prefix}.${cheaper}.${mac}` });
    expect(altered.status).toBe(404);
    expect(altered.body.code).toBe('not_found');
    // The owner still can.
    expect((await spend('quote-mine', { quoteId: given.body.quoteId })).status).toBe(201);
  });

  it('a quote given before quotes were signed (a row of the quotes table) is still paid, once', async () => {
    await grant('quote-legacy', 100);
    const quoteId = 'quote_0b6f7c1e-1111-4222-8333-944445555666';
    await database.pool.query(
      `INSERT INTO quotes (quote_id, account_id, operation, operation_name, credits, minimum_available, created_at, expires_at)
       VALUES ($1, 'quote-legacy', $2, 'Stem separation', 12, NULL, $3, $4)`,
      [
        quoteId,
        JSON.stringify({
          operationId: 'stem-separation',
          quantity: 1,
          dimensions: {},
          rateCardVersion: 1,
        }),
        clock.now().toISOString(),
        new Date(clock.now().getTime() + 60 * SECOND).toISOString(),
      ],
    );
    expect((await spend('quote-thief', { quoteId })).status).toBe(404);
    const paid = await spend('quote-legacy', { quoteId });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ credits: 12, balance: 88, quoteId });
    expect((await spend('quote-legacy', { quoteId })).body.code).toBe('quote_used');
  });

  it('a quote is the rate card minimumAvailable too: checked again when paid', async () => {
    await grant('quote-min-pay', 250);
    const given = await quote('quote-min-pay', {
      operation: 'ai-generation',
      dimensions: { complexity: 'low' },
    });
    await spend('quote-min-pay', { credits: 100, description: 'meanwhile' });
    const paid = await spend('quote-min-pay', { quoteId: given.body.quoteId });
    expect(paid.status).toBe(402);
    expect(paid.body).toMatchObject({
      code: 'minimum_available',
      available: 150,
      minimumAvailable: 200,
    });
  });

  it('refuses what the card cannot price, naming the field', async () => {
    const unknown = await quote('quote-bad', { operation: 'teleport' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'operation_not_found', operation: 'teleport' });

    const missing = await quote('quote-bad', { operation: 'video-export', quantity: 60 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { field: 'dimensions.resolution', message: expect.stringContaining('required') },
    ]);
    const badValue = await quote('quote-bad', {
      operation: 'video-export',
      dimensions: { resolution: '8k' },
    });
    expect(badValue.status).toBe(400);
    expect(badValue.body.errors).toEqual([
      { field: 'dimensions.resolution', message: expect.stringContaining('8k') },
    ]);
    const extra = await quote('quote-bad', {
      operation: 'stem-separation',
      dimensions: { speed: 'fast' },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].field).toBe('dimensions.speed');

    for (const quantity of [0, 1.5, 1_000_000_001, '3', -1]) {
      const bad = await quote('quote-bad', { operation: 'stem-separation', quantity });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['quantity']);
    }
    const noOperation = await quote('quote-bad', { quantity: 3 });
    expect(noOperation.status).toBe(400);
    expect(noOperation.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'operation',
    ]);
    const nested = await quote('quote-bad', {
      operation: 'video-export',
      dimensions: { resolution: { value: '4k' } },
    });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].field).toBe('dimensions');
  });

  it('concurrent spends and holds of one quote on one instance (one batch): exactly one pays', async () => {
    await grant('quote-batch', 100);
    const given = await quote('quote-batch', { operation: 'stem-separation' });
    const answers = await Promise.all([
      spend('quote-batch', { quoteId: given.body.quoteId }),
      spend('quote-batch', { quoteId: given.body.quoteId }),
      t.http.post('/v1/accounts/quote-batch/reservations', { quoteId: given.body.quoteId }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    expect((await t.http.get('/v1/accounts/quote-batch/balance')).body.available).toBe(90);
  });

  it('two concurrent spends of one quote on two instances: exactly one pays', async () => {
    const other = await startTestApp({ clock, database, env: QUIET });
    try {
      useRateCards(other.app, cards);
      await grant('quote-race', 1000);
      for (let round = 0; round < 5; round++) {
        const given = await quote('quote-race', { operation: 'stem-separation' });
        // Both instances know the account (cached state), so both decide optimistically.
        await other.http.get('/v1/accounts/quote-race/balance');
        await t.http.get('/v1/accounts/quote-race/balance');
        const answers = await Promise.all([
          t.http.post('/v1/accounts/quote-race/spends', { quoteId: given.body.quoteId }),
          other.http.post('/v1/accounts/quote-race/spends', { quoteId: given.body.quoteId }),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
        expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('quote_used');
      }
      expect((await t.http.get('/v1/accounts/quote-race/balance')).body.balance).toBe(950);
    } finally {
      await other.close();
    }
  });
});
