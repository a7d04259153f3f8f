import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const grantKey = { key: TEST_KEYS.granter };

/**
 * Purchases over HTTP, on two app instances sharing one PostgreSQL (two api replicas): a provider
 * reference credits one purchase in the whole ledger, and a repeat answers the first purchase.
 */
describe('POST /v1/accounts/{accountId}/purchases across accounts and instances', () => {
  let db: TestDatabase;
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase({ poolMax: 20 });
    one = await startTestApp({ database: db });
    two = await startTestApp({ database: db });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  const body = (providerRef: string, overrides: Record<string, unknown> = {}) => ({
    credits: 100,
    amountPaid: 1000,
    currency: 'USD',
    providerRef,
    ...overrides,
  });

  it('credits exactly one of many concurrent purchases of one providerRef on different accounts; the others are 409 purchase_conflict', async () => {
    const accounts = Array.from({ length: 16 }, (_, index) => `buyer-race-${index}`);
    const responses = await Promise.all(
      accounts.map((accountId, index) =>
        (index % 2 === 0 ? one : two).http.post(
          `/v1/accounts/${accountId}/purchases`,
          body('wire-2026-0042'),
          grantKey,
        ),
      ),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([
      201,
      ...Array<number>(15).fill(409),
    ]);
    const winner = accounts[responses.findIndex((response) => response.status === 201)];
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 409,
        code: 'purchase_conflict',
        providerRef: 'wire-2026-0042',
      });
      // Another account's id is none of the caller's business.
      expect(JSON.stringify(response.body)).not.toContain(winner);
    }
    const balances = await Promise.all(
      accounts.map(
        async (accountId) => (await one.http.get(`/v1/accounts/${accountId}/balance`)).body,
      ),
    );
    expect(balances.map((balance) => balance.balance).sort((a, b) => a - b)).toEqual([
      ...Array<number>(15).fill(0),
      100,
    ]);
    expect(balances.filter((balance) => balance.revision === -1)).toHaveLength(15);
  });

  it('answers a repeat with the original purchase exactly, from either instance, long after other writes', async () => {
    const account = '/v1/accounts/buyer-repeat';
    await one.http.post(
      `${account}/grants`,
      { credits: 20, category: 'promotional', reason: 'signup' },
      grantKey,
    );
    const first = await one.http.post(
      `${account}/purchases`,
      body('pi_offline_repeat', { credits: 275, amountPaid: 2500, packId: 'standard' }),
      grantKey,
    );
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      accountId: 'buyer-repeat',
      purchaseId: expect.any(String),
      blockId: expect.any(String),
      credits: 275,
      amountPaid: 2500,
      currency: 'USD',
      balance: 295,
      available: 295,
      reserved: 0,
      revision: 1,
      position: expect.any(String),
    });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    await one.http.post(`${account}/spends`, { credits: 50, description: 'render' });

    for (const instance of [one, two]) {
      const again = await instance.http.post(
        `${account}/purchases`,
        body('pi_offline_repeat', { credits: 275, amountPaid: 2500, packId: 'standard' }),
        grantKey,
      );
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    // The position is the original event's own, as the audit endpoint lists it.
    const events = await one.http.get(`${account}/events`, { key: TEST_KEYS.finance });
    const purchased = events.body.data.find(
      (event: { type: string }) => event.type === 'CreditsPurchased',
    );
    expect({ revision: purchased.revision, position: purchased.position }).toEqual({
      revision: first.body.revision,
      position: first.body.position,
    });
    expect(
      events.body.data.filter((event: { type: string }) => event.type === 'CreditsPurchased'),
    ).toHaveLength(1);
  });

  it('refuses the same providerRef with other figures on the same account, and on another account whatever the figures', async () => {
    const first = await one.http.post(
      '/v1/accounts/buyer-figures/purchases',
      body('pi_offline_figures'),
      grantKey,
    );
    expect(first.status).toBe(201);

    for (const change of [{ credits: 101 }, { amountPaid: 999 }, { currency: 'EUR' }]) {
      const other = await two.http.post(
        '/v1/accounts/buyer-figures/purchases',
        body('pi_offline_figures', change),
        grantKey,
      );
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({
        code: 'purchase_conflict',
        providerRef: 'pi_offline_figures',
        purchaseId: first.body.purchaseId,
      });
    }
    const elsewhere = await one.http.post(
      '/v1/accounts/buyer-elsewhere/purchases',
      body('pi_offline_figures'),
      grantKey,
    );
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body).toMatchObject({
      code: 'purchase_conflict',
      providerRef: 'pi_offline_figures',
    });
    expect(elsewhere.body.purchaseId).toBeUndefined();
    expect(JSON.stringify(elsewhere.body)).not.toContain('buyer-figures');
    expect((await one.http.get('/v1/accounts/buyer-figures/balance')).body).toMatchObject({
      balance: 100,
      revision: 0,
    });
    expect((await one.http.get('/v1/accounts/buyer-elsewhere/balance')).body).toMatchObject({
      balance: 0,
      revision: -1,
    });
  });

  it('answers 409 spend_fully_refunded for a refund of a spend with nothing left', async () => {
    const account = '/v1/accounts/refund-twice';
    await one.http.post(
      `${account}/grants`,
      { credits: 10, category: 'promotional', reason: 'signup' },
      grantKey,
    );
    const spend = await one.http.post(`${account}/spends`, { credits: 4, description: 'render' });
    expect(
      (await one.http.post(`${account}/refunds`, { spendId: spend.body.spendId, reason: 'failed' }))
        .status,
    ).toBe(201);

    for (const request of [
      { spendId: spend.body.spendId, reason: 'again' },
      { spendId: spend.body.spendId, credits: 1, reason: 'again' },
    ]) {
      const again = await two.http.post(`${account}/refunds`, request);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'spend_fully_refunded',
        spendId: spend.body.spendId,
      });
    }
    // Asking for more than is left of a spend that still has some stays a 400.
    const partial = await one.http.post(`${account}/spends`, { credits: 4, description: 'render' });
    await one.http.post(`${account}/refunds`, {
      spendId: partial.body.spendId,
      credits: 3,
      reason: 'part',
    });
    const tooMuch = await one.http.post(`${account}/refunds`, {
      spendId: partial.body.spendId,
      credits: 2,
      reason: 'more',
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'credits' })],
    });
  });

  it('scopes an Idempotency-Key to its account: the same key on another account is another request', async () => {
    const headers = { 'idempotency-key': 'order-77' };
    const grant = { credits: 10, category: 'promotional', reason: 'signup' };
    await one.http.post('/v1/accounts/keyed-a/grants', grant, grantKey);
    await one.http.post('/v1/accounts/keyed-b/grants', grant, grantKey);

    const onA = await one.http.post(
      '/v1/accounts/keyed-a/spends',
      { credits: 3, description: 'render' },
      { headers },
    );
    const onB = await two.http.post(
      '/v1/accounts/keyed-b/spends',
      { credits: 3, description: 'render' },
      { headers },
    );
    expect([onA.status, onB.status]).toEqual([201, 201]);
    expect(onB.headers.get('idempotent-replayed')).toBeNull();
    expect(onB.body.spendId).not.toBe(onA.body.spendId);
    // A different body under that key on the other account is fine too; on the same account it is not.
    expect(
      (
        await two.http.post(
          '/v1/accounts/keyed-b/spends',
          { credits: 5, description: 'render' },
          { headers },
        )
      ).status,
    ).toBe(409);
    expect((await one.http.get('/v1/accounts/keyed-a/balance')).body).toMatchObject({ balance: 7 });
    expect((await one.http.get('/v1/accounts/keyed-b/balance')).body).toMatchObject({ balance: 7 });
  });
});
