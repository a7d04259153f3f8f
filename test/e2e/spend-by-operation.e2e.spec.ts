import { ManualClock } from '../../src/shared/clock';
import {
  InMemoryRateCards,
  TEST_OPERATIONS,
  doubledPrices,
  useRateCards,
} from '../support/rate-cards';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

const grantKey = { key: TEST_KEYS.granter };
const finance = { key: TEST_KEYS.finance };

const fields = (body: { errors?: { field: string }[] }) =>
  (body.errors ?? []).map((error) => error.field);

/**
 * Spends and reservations that name an operation instead of credits (PRODUCT.md §1): the server
 * prices them at the current card, records operation { operationId, quantity, dimensions,
 * rateCardVersion } on the event, the answer and the history row; a capture by quantity is priced
 * at the hold's card version.
 */
describe('spending by operation', () => {
  let t: TestApp;
  let cards: InMemoryRateCards;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: { WORKER_INTERVAL_MS: '3600000', CONSISTENCY_TIMEOUT_MS: '15000' },
    });
    cards = new InMemoryRateCards(TEST_OPERATIONS);
    useRateCards(t.app, cards);
  });
  afterAll(() => t.close());

  const grant = (account: string, credits: number) =>
    t.http.post(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
  const spend = (account: string, body: Record<string, unknown>, headers = {}) =>
    t.http.post(`/v1/accounts/${account}/spends`, body, { headers });
  const reserve = (account: string, body: Record<string, unknown>) =>
    t.http.post(`/v1/accounts/${account}/reservations`, body);
  const eventsOf = async (account: string) =>
    (await t.http.get(`/v1/accounts/${account}/events`, finance)).body.data as {
      type: string;
      data: Record<string, any>;
    }[];

  it('prices a spend at the current card and records the operation on the event, the answer and the history row', async () => {
    await grant('op-spend', 100);
    const spent = await spend('op-spend', {
      operation: 'video-export',
      quantity: 61,
      dimensions: { resolution: '1080p' },
      reference: 'job-7',
    });
    expect(spent.status).toBe(201);
    // 61 s is 2 started minutes: 16 × 1.5 = 24.
    const operation = {
      operationId: 'video-export',
      quantity: 61,
      dimensions: { resolution: '1080p' },
      rateCardVersion: 1,
    };
    expect(spent.body).toMatchObject({ credits: 24, balance: 76, available: 76, operation });
    expect(spent.body).not.toHaveProperty('quoteId');
    const event = (await eventsOf('op-spend')).find((item) => item.type === 'CreditsSpent');
    expect(event?.data).toMatchObject({
      credits: 24,
      description: 'Video export',
      reference: 'job-7',
      operation,
    });

    const history = await t.http.get(
      `/v1/accounts/op-spend/transactions?after=${encodeURIComponent(spent.body.position)}`,
    );
    expect(history.status).toBe(200);
    const [row, grantRow] = history.body.data;
    expect(row).toMatchObject({
      type: 'spend',
      credits: -24,
      description: 'Video export',
      operation,
    });
    expect(row.detail).not.toHaveProperty('operation');
    expect(grantRow).toMatchObject({ type: 'grant', operation: null });
  });

  it('a plain spend answers as before, with no operation', async () => {
    await grant('op-plain', 10);
    const plain = await spend('op-plain', { credits: 3, description: 'plain' });
    expect(plain.status).toBe(201);
    expect(Object.keys(plain.body).sort()).toEqual(
      ['available', 'balance', 'credits', 'position', 'reserved', 'revision', 'spendId'].sort(),
    );
  });

  it('prices at the card current when the spend arrives', async () => {
    await grant('op-new-card', 100);
    cards.publish(doubledPrices());
    try {
      const spent = await spend('op-new-card', { operation: 'stem-separation' });
      expect(spent.body).toMatchObject({ credits: 20, operation: { rateCardVersion: 2 } });
    } finally {
      cards.publish(TEST_OPERATIONS);
    }
  });

  it('refuses bad combinations and values, naming the field, and writes nothing', async () => {
    await grant('op-bad', 100);
    const both = await spend('op-bad', {
      credits: 5,
      description: 'x',
      operation: 'stem-separation',
    });
    expect(both.status).toBe(400);
    expect(fields(both.body)).toEqual(['operation']);
    const quoteAndOperation = await spend('op-bad', {
      operation: 'stem-separation',
      quoteId: 'quote_x',
    });
    expect(quoteAndOperation.status).toBe(400);
    expect(fields(quoteAndOperation.body)).toEqual(['quoteId']);
    const quantityAlone = await spend('op-bad', { credits: 5, description: 'x', quantity: 3 });
    expect(fields(quantityAlone.body)).toEqual(['quantity']);
    const nothing = await spend('op-bad', { description: 'x' });
    expect(fields(nothing.body)).toEqual(['credits']);
    const missingDimension = await spend('op-bad', { operation: 'video-export' });
    expect(missingDimension.status).toBe(400);
    expect(fields(missingDimension.body)).toEqual(['dimensions.resolution']);
    const badQuantity = await spend('op-bad', { operation: 'stem-separation', quantity: 0 });
    expect(fields(badQuantity.body)).toEqual(['quantity']);
    const unknown = await spend('op-bad', { operation: 'teleport' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('operation_not_found');
    const reserveBoth = await reserve('op-bad', { credits: 5, operation: 'stem-separation' });
    expect(fields(reserveBoth.body)).toEqual(['operation']);
    expect((await eventsOf('op-bad')).map((event) => event.type)).toEqual(['CreditsGranted']);
  });

  it('refuses with 402 minimum_available when the operation needs more available to start', async () => {
    await grant('op-minimum', 150);
    const refused = await spend('op-minimum', {
      operation: 'ai-generation',
      dimensions: { complexity: 'high' },
    });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'minimum_available',
      available: 150,
      minimumAvailable: 200,
    });
    const hold = await reserve('op-minimum', {
      operation: 'ai-generation',
      dimensions: { complexity: 'low' },
    });
    expect(hold.status).toBe(402);
    await grant('op-minimum', 50);
    const spent = await spend('op-minimum', {
      operation: 'ai-generation',
      dimensions: { complexity: 'high' },
    });
    expect(spent.status).toBe(201);
    expect(spent.body.credits).toBe(100);
  });

  it('replays a retried priced spend with the same Idempotency-Key; another operation request with it is refused', async () => {
    await grant('op-retry', 100);
    const body = { operation: 'video-export', quantity: 60, dimensions: { resolution: '720p' } };
    const headers = { 'Idempotency-Key': 'op-retry-1' };
    const first = await spend('op-retry', body, headers);
    expect(first.status).toBe(201);
    const again = await spend('op-retry', body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    // Same credits (8), another request: the hash covers the operation request, not only the price.
    const other = await spend(
      'op-retry',
      { operation: 'video-export', quantity: 59, dimensions: { resolution: '720p' } },
      headers,
    );
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect((await t.http.get('/v1/accounts/op-retry/balance')).body.balance).toBe(92);
  });

  it("holds by operation, and captures the quantity used at the hold's card version", async () => {
    await grant('op-hold', 200);
    const { version } = await cards.current();
    const hold = await reserve('op-hold', {
      operation: 'video-export',
      quantity: 300,
      dimensions: { resolution: '4k' },
      description: 'export job 9',
    });
    expect(hold.status).toBe(201);
    // 5 minutes × 8 × 2.5 = 100.
    expect(hold.body).toMatchObject({
      credits: 100,
      operation: { operationId: 'video-export', quantity: 300, rateCardVersion: version },
    });
    const reservedEvent = (await eventsOf('op-hold')).find(
      (event) => event.type === 'CreditsReserved',
    );
    expect(reservedEvent?.data.operation).toMatchObject({
      quantity: 300,
      rateCardVersion: version,
    });

    cards.publish(doubledPrices());
    try {
      const captured = await t.http.post(
        `/v1/accounts/op-hold/reservations/${hold.body.reservationId}/capture`,
        { quantity: 100 },
      );
      expect(captured.status).toBe(201);
      // 2 started minutes at the hold's card (not the doubled one): 16 × 2.5 = 40; 60 released.
      expect(captured.body).toMatchObject({
        credits: 40,
        released: 60,
        balance: 160,
        operation: {
          operationId: 'video-export',
          quantity: 100,
          dimensions: { resolution: '4k' },
          rateCardVersion: version,
        },
      });
      const spent = (await eventsOf('op-hold')).find((event) => event.type === 'CreditsSpent');
      expect(spent?.data).toMatchObject({
        credits: 40,
        description: 'export job 9',
        operation: { quantity: 100, rateCardVersion: version },
      });
    } finally {
      cards.publish(TEST_OPERATIONS);
    }
  });

  it('a capture without quantity records the operation as held', async () => {
    await grant('op-hold-all', 100);
    const { version } = await cards.current();
    const hold = await reserve('op-hold-all', { operation: 'stem-separation' });
    const captured = await t.http.post(
      `/v1/accounts/op-hold-all/reservations/${hold.body.reservationId}/capture`,
      {},
    );
    expect(captured.body).toMatchObject({
      credits: 10,
      released: 0,
      operation: { operationId: 'stem-separation', quantity: 1, rateCardVersion: version },
    });
  });

  it('refuses a capture by quantity of a hold of plain credits, or beyond what is held', async () => {
    await grant('op-hold-bad', 300);
    const plain = await reserve('op-hold-bad', { credits: 50 });
    const byQuantity = await t.http.post(
      `/v1/accounts/op-hold-bad/reservations/${plain.body.reservationId}/capture`,
      { quantity: 10 },
    );
    expect(byQuantity.status).toBe(400);
    expect(fields(byQuantity.body)).toEqual(['quantity']);

    const priced = await reserve('op-hold-bad', {
      operation: 'video-export',
      quantity: 60,
      dimensions: { resolution: '720p' },
    });
    const over = await t.http.post(
      `/v1/accounts/op-hold-bad/reservations/${priced.body.reservationId}/capture`,
      { quantity: 600 },
    );
    expect(over.status).toBe(400);
    expect(fields(over.body)).toEqual(['quantity']);
    const both = await t.http.post(
      `/v1/accounts/op-hold-bad/reservations/${priced.body.reservationId}/capture`,
      { quantity: 60, credits: 8 },
    );
    expect(fields(both.body)).toEqual(['quantity']);
    const unknownHold = await t.http.post(
      `/v1/accounts/op-hold-bad/reservations/reservation_nope/capture`,
      { quantity: 60 },
    );
    expect(unknownHold.status).toBe(404);
    expect(unknownHold.body.code).toBe('not_found');
  });
});
