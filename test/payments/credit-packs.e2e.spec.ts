import { TEST_KEYS, startTestApp, type HttpResponse, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import type { ManualClock } from '../../src/shared/clock';
import { FakeStripeApi } from './support/fake-stripe-api';
import { WEBHOOK_SECRET, checkoutSession, event, stripeId } from './support/stripe-events';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type StripeTestApp,
} from './support/stripe-test-app';

const ADMIN = { key: TEST_KEYS.admin };
const BULK = {
  packId: 'bulk',
  name: 'Bulk',
  credits: 2000,
  price: { minor: 1990, currency: 'USD' },
};

describe('the credit-pack catalog over HTTP', () => {
  let db: TestDatabase;
  let t: TestApp;
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp | undefined;

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_catalog',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    ({ t, db } = app);
  });
  afterAll(() => app?.close());
  beforeEach(() => stripeApi.clear());

  const put = (packId: string, body: unknown, key: string = TEST_KEYS.admin) =>
    t.http.send<any>('PUT', `/v1/credit-packs/${packId}`, body, { key });
  const remove = (packId: string, key: string = TEST_KEYS.admin) =>
    t.http.send<any>('DELETE', `/v1/credit-packs/${packId}`, undefined, { key });
  const listed = async (query = '', key: string = TEST_KEYS.readOnly): Promise<any[]> => {
    const response = await t.http.get(`/v1/credit-packs${query}`, { key });
    expect(response.status).toBe(200);
    return response.body.data;
  };
  const checkout = (accountId: string, packId: string): Promise<HttpResponse> =>
    t.http.post('/v1/checkout-sessions', { accountId, packId, uiMode: 'embedded' });

  async function catalogEvents(): Promise<
    Array<{ revision: number; type: string; data: any; metadata: any }>
  > {
    const { rows } = await db.pool.query(
      `SELECT revision::int AS revision, type, data, metadata FROM events WHERE stream_id = 'credit-packs' ORDER BY revision`,
    );
    return rows;
  }

  describe('writes need scope admin', () => {
    it.each([
      ['a read key', TEST_KEYS.readOnly],
      ['a spend key', TEST_KEYS.service],
      ['a grant key', TEST_KEYS.granter],
      ['a finance key', TEST_KEYS.finance],
    ])('%s gets 403 for POST, PUT and DELETE, and nothing changes', async (_case, key) => {
      const before = await catalogEvents();
      expect(
        (await t.http.post('/v1/credit-packs', { ...BULK, packId: 'sneaky' }, { key })).status,
      ).toBe(403);
      expect((await put('basic', { ...BULK, name: 'Cheap' }, key)).status).toBe(403);
      expect((await remove('basic', key)).status).toBe(403);
      expect(await catalogEvents()).toEqual(before);
    });

    it('no key: 401', async () => {
      expect((await t.http.post('/v1/credit-packs', BULK, { key: null })).status).toBe(401);
      expect(
        (await t.http.send('DELETE', '/v1/credit-packs/basic', undefined, { key: null })).status,
      ).toBe(401);
    });
  });

  describe('create, list, replace, retire', () => {
    it('POST adds a pack (201) that the list shows with its saving; the same id again is 409', async () => {
      const created = await t.http.post('/v1/credit-packs', BULK, ADMIN);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        packId: 'bulk',
        name: 'Bulk',
        credits: 2000,
        bonusCredits: 0,
        price: { minor: 1990, currency: 'USD' },
        popular: false,
        active: true,
        // 0.995 ¢ a credit against Basic's 10 ¢.
        savingsPercent: 90,
        revision: expect.any(Number),
        position: expect.any(String),
      });
      const packs = await listed();
      expect(packs.map((pack) => [pack.packId, pack.savingsPercent])).toEqual([
        ['basic', 0],
        ['standard', 9],
        ['pro', 16],
        ['bulk', 90],
      ]);

      const again = await t.http.post('/v1/credit-packs', { ...BULK, name: 'Other' }, ADMIN);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'credit_pack_exists', packId: 'bulk' });
      expect((await listed()).find((pack) => pack.packId === 'bulk').name).toBe('Bulk');
    });

    it('PUT replaces an existing pack (200; fields left out take their defaults) and creates a new one (201)', async () => {
      const replaced = await put('bulk', { ...BULK, bonusCredits: 200, popular: true });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ packId: 'bulk', bonusCredits: 200, popular: true });
      const reset = await put('bulk', BULK);
      expect(reset.status).toBe(200);
      expect(reset.body).toMatchObject({ bonusCredits: 0, popular: false });

      const created = await put('mega', {
        name: 'Mega',
        credits: 10_000,
        price: { minor: 8900, currency: 'USD' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ packId: 'mega', active: true, savingsPercent: 91 });

      // The same pack again writes nothing.
      const before = (await catalogEvents()).length;
      const same = await put('mega', {
        name: 'Mega',
        credits: 10_000,
        price: { minor: 8900, currency: 'USD' },
      });
      expect(same.status).toBe(200);
      expect(same.body.position).toBeUndefined();
      expect((await catalogEvents()).length).toBe(before);
    });

    it("PUT refuses a body whose packId is not the path's, and a new id that is not a–z 0–9 -", async () => {
      const other = await put('mega', { ...BULK, packId: 'bulk' });
      expect(other.status).toBe(400);
      expect(other.body.errors).toEqual([{ field: 'packId', message: expect.any(String) }]);
      const { packId: _bulk, ...withoutId } = BULK;
      const badId = await put('Mega_2', withoutId);
      expect(badId.status).toBe(400);
      expect(badId.body.errors).toEqual([
        { field: 'packId', message: expect.stringMatching(/a–z 0–9/) },
      ]);
      expect((await put('mega%20pack', withoutId)).status).toBe(400);
    });

    it('DELETE retires the pack: 200 with it inactive, gone from the list, still in the catalog; unknown: 404', async () => {
      const retired = await remove('mega');
      expect(retired.status).toBe(200);
      expect(retired.body).toMatchObject({ packId: 'mega', active: false, credits: 10_000 });
      expect((await listed()).map((pack) => pack.packId)).not.toContain('mega');
      // Again: still inactive, nothing written.
      const before = (await catalogEvents()).length;
      expect((await remove('mega')).body).toMatchObject({ active: false });
      expect((await catalogEvents()).length).toBe(before);

      const unknown = await remove('never-was');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'not_found' });

      // Never forgotten: the id stays taken, an admin sees it, PUT with active: true brings it back.
      expect(
        (await t.http.post('/v1/credit-packs', { ...BULK, packId: 'mega' }, ADMIN)).status,
      ).toBe(409);
      const all = await listed('?include=inactive', TEST_KEYS.admin);
      expect(all.find((pack) => pack.packId === 'mega')).toMatchObject({ active: false });
      expect(
        (
          await put('mega', {
            name: 'Mega',
            credits: 10_000,
            price: { minor: 8900, currency: 'USD' },
          })
        ).body,
      ).toMatchObject({ active: true });
      await remove('mega');
    });

    it('?include=inactive needs admin; another value is a 400', async () => {
      const response = await t.http.get('/v1/credit-packs?include=inactive', {
        key: TEST_KEYS.readOnly,
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'forbidden' });
      const bad = await t.http.get('/v1/credit-packs?include=all', { key: TEST_KEYS.admin });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'include', message: expect.any(String) }]);
    });

    it('lists a pack only inside its window; an admin sees it scheduled', async () => {
      const clock = t.clock as ManualClock;
      expect(
        (
          await put('winter', {
            name: 'Winter deal',
            credits: 500,
            bonusCredits: 100,
            price: { minor: 3900, currency: 'USD' },
            availableFrom: '2026-03-02T00:00:00Z',
            availableUntil: '2026-03-03T00:00:00+00:00',
          })
        ).status,
      ).toBe(201);
      expect((await listed()).map((pack) => pack.packId)).not.toContain('winter');
      expect(
        (await listed('?include=inactive', TEST_KEYS.admin)).find(
          (pack) => pack.packId === 'winter',
        ),
      ).toMatchObject({
        active: true,
        availableFrom: '2026-03-02T00:00:00.000Z',
        availableUntil: '2026-03-03T00:00:00.000Z',
      });
      const notYet = await checkout('buyer-early', 'winter');
      expect(notYet.status).toBe(400);
      expect(notYet.body.errors).toEqual([
        { field: 'packId', message: 'is not on sale before 2026-03-02T00:00:00.000Z' },
      ]);
      const start = clock.now();
      try {
        clock.set('2026-03-02T00:00:00.000Z');
        expect((await listed()).find((pack) => pack.packId === 'winter')).toMatchObject({
          credits: 500,
          bonusCredits: 100,
          // 6.5 ¢ a credit (3900 / 600) against 10 ¢.
          savingsPercent: 35,
        });
        clock.set('2026-03-03T00:00:00.000Z');
        expect((await listed()).map((pack) => pack.packId)).not.toContain('winter');
      } finally {
        clock.set(start);
      }
    });

    it('applies concurrent changes one after another, none lost', async () => {
      const before = (await catalogEvents()).length;
      const ids = Array.from({ length: 12 }, (_, index) => `rush-${index}`);
      const responses = await Promise.all(
        ids.map((packId) =>
          put(packId, { name: packId, credits: 100, price: { minor: 900, currency: 'USD' } }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(ids.map(() => 201));
      const events = await catalogEvents();
      expect(events.length).toBe(before + ids.length);
      expect(events.map((recorded) => recorded.revision)).toEqual(events.map((_, index) => index));
      await Promise.all(ids.map((packId) => remove(packId)));
      expect((await listed()).map((pack) => pack.packId)).not.toContain('rush-0');
    });

    it('names every bad field of a pack at once, and writes nothing', async () => {
      const before = await catalogEvents();
      const response = await t.http.post(
        '/v1/credit-packs',
        {
          packId: 'Bad Pack',
          name: '',
          credits: 1.5,
          price: { minor: 10, currency: 'usd' },
          stripePriceId: 'sku_123',
          availableFrom: '2026-04-01T00:00:00Z',
          availableUntil: '2026-03-01T00:00:00Z',
        },
        ADMIN,
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: any) => error.field).sort()).toEqual(
        [
          'availableUntil',
          'credits',
          'name',
          'packId',
          'price.currency',
          'price.minor',
          'stripePriceId',
        ].sort(),
      );
      expect(await catalogEvents()).toEqual(before);
    });
  });

  describe('audit', () => {
    it('records every change in the credit-packs stream with its actor, request and what changed', async () => {
      const response = await t.http.get('/v1/credit-packs/bulk/history', {
        key: TEST_KEYS.finance,
      });
      expect(response.status).toBe(200);
      const history = response.body.data;
      expect(history[0]).toMatchObject({
        type: 'CreditPackSaved',
        actor: { kind: 'admin', id: 'ops' },
        requestId: expect.any(String),
        changed: expect.arrayContaining(['credits', 'price']),
        pack: { packId: 'bulk', credits: 2000, price: { minor: 1990, currency: 'USD' } },
        occurredAt: '2026-03-01T12:00:00.000Z',
      });
      expect(history.map((entry: any) => entry.changed)).toEqual(
        expect.arrayContaining([['bonusCredits', 'popular']]),
      );
      const revisions = history.map((entry: any) => entry.revision);
      expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);

      // The seed is history too: written by the system, from the default catalog.
      const seed = (await t.http.get('/v1/credit-packs/basic/history', { key: TEST_KEYS.finance }))
        .body.data;
      expect(seed[0]).toMatchObject({ revision: 0, actor: { kind: 'system', id: 'catalog-seed' } });

      // The stream itself, as finance would read it from the store.
      const events = await catalogEvents();
      expect(events[0]).toMatchObject({
        revision: 0,
        type: 'CreditPackSaved',
        data: { seededFrom: 'default', pack: { packId: 'basic' } },
      });
      const retired = events.find((recorded) => recorded.type === 'CreditPackRetired');
      expect(retired).toMatchObject({
        data: { packId: 'mega', pack: { active: false } },
        metadata: {
          actor: { kind: 'admin', id: 'ops' },
          correlationId: expect.any(String),
          occurredAt: expect.any(String),
        },
      });
      // Not an account stream: the projections never see it.
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS count FROM credit_transactions WHERE account_id = 'packs' OR account_id LIKE 'credit-packs%'`,
      );
      expect(rows[0].count).toBe(0);
    });

    it('history needs scope finance; an unknown pack is 404', async () => {
      expect(
        (await t.http.get('/v1/credit-packs/bulk/history', { key: TEST_KEYS.readOnly })).status,
      ).toBe(403);
      expect(
        (await t.http.get('/v1/credit-packs/never-was/history', { key: TEST_KEYS.finance })).status,
      ).toBe(404);
    });
  });

  describe('checkout from the catalog', () => {
    it("uses the pack's Stripe Price when it has one (checked against the pack's price when saved)", async () => {
      stripeApi.addPrice({ id: 'price_bulk2000', unitAmount: 1990, currency: 'usd' });
      expect((await put('bulk', { ...BULK, stripePriceId: 'price_bulk2000' })).status).toBe(200);
      expect(stripeApi.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /v1/prices/price_bulk2000',
      ]);
      stripeApi.clear();

      const response = await checkout('buyer-price', 'bulk');
      expect(response.status).toBe(201);
      const [session] = stripeApi.calls('/v1/checkout/sessions');
      expect(session.form).toMatchObject({
        mode: 'payment',
        'line_items[0][price]': 'price_bulk2000',
        'line_items[0][quantity]': '1',
        'metadata[packId]': 'bulk',
        'metadata[credits]': '2000',
        'metadata[bonusCredits]': '0',
        'metadata[catalogRevision]': expect.stringMatching(/^\d+$/),
      });
      expect(Object.keys(session.form).filter((key) => key.includes('price_data'))).toEqual([]);
    });

    it("refuses to save a Stripe Price that does not charge the pack's price, naming stripePriceId", async () => {
      stripeApi.addPrice({ id: 'price_eur', unitAmount: 1990, currency: 'eur' });
      stripeApi.addPrice({
        id: 'price_monthly',
        unitAmount: 1990,
        currency: 'usd',
        type: 'recurring',
      });
      stripeApi.addPrice({ id: 'price_old', unitAmount: 1990, currency: 'usd', active: false });
      for (const [stripePriceId, message] of [
        ['price_missing', /not a Price/],
        ['price_eur', /charges 1990 EUR, not the pack's price 1990 USD/],
        ['price_monthly', /recurring/],
        ['price_old', /archived/],
      ] as const) {
        const response = await put('bulk', { ...BULK, stripePriceId });
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([
          { field: 'stripePriceId', message: expect.stringMatching(message) },
        ]);
      }
      expect((await listed()).find((pack) => pack.packId === 'bulk')).toMatchObject({
        stripePriceId: 'price_bulk2000',
      });
    });

    it('sends inline price data for a pack without a Stripe Price, with its bonus in the name', async () => {
      await put('plus', {
        name: 'Plus',
        credits: 100,
        bonusCredits: 20,
        price: { minor: 900, currency: 'EUR' },
      });
      expect((await checkout('buyer-inline', 'plus')).status).toBe(201);
      const [session] = stripeApi.calls('/v1/checkout/sessions');
      expect(session.form).toMatchObject({
        'line_items[0][price_data][currency]': 'eur',
        'line_items[0][price_data][unit_amount]': '900',
        'line_items[0][price_data][product_data][name]': 'Plus: 120 credits (20 bonus)',
        'metadata[credits]': '120',
        'metadata[bonusCredits]': '20',
      });
      expect(session.form).not.toHaveProperty('line_items[0][price]');
    });

    it('refuses a retired pack (400 naming packId) and calls nothing at Stripe', async () => {
      await put('gone', { name: 'Gone', credits: 10, price: { minor: 100, currency: 'USD' } });
      await remove('gone');
      const response = await checkout('buyer-gone', 'gone');
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'packId', message: 'is not on sale (retired)' },
      ]);
      expect(stripeApi.requests).toEqual([]);
    });

    it('credits what the session recorded, whatever the pack became before the payment landed', async () => {
      await put('promo', {
        name: 'Promo',
        credits: 500,
        bonusCredits: 50,
        price: { minor: 990, currency: 'USD' },
        expiresAfterDays: 30,
      });
      expect((await checkout('buyer-recorded', 'promo')).status).toBe(201);
      const [sent] = stripeApi.calls('/v1/checkout/sessions');
      const metadata = metadataSent(sent.form);
      expect(metadata).toMatchObject({ credits: '550', packId: 'promo' });
      const { rows } = await db.pool.query(
        'SELECT credits::int, bonus_credits::int, catalog_revision FROM checkout_sessions WHERE account_id = $1',
        ['buyer-recorded'],
      );
      expect(rows).toEqual([
        { credits: 550, bonus_credits: 50, catalog_revision: Number(metadata.catalogRevision) },
      ]);
      const sessions = await t.http.get('/v1/accounts/buyer-recorded/checkout-sessions');
      expect(sessions.body.data[0]).toMatchObject({ credits: 550, status: 'open' });

      // After the checkout: more credits, a higher price, no expiry; then retired altogether.
      await put('promo', { name: 'Promo', credits: 900, price: { minor: 1490, currency: 'USD' } });
      await remove('promo');

      const completed = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'buyer-recorded',
          packId: 'promo',
          amountTotal: 990,
          metadata,
        }),
      );
      expect((await deliverStripeEvent(t, completed)).status).toBe(200);
      const balance = (await t.http.get('/v1/accounts/buyer-recorded/balance')).body;
      expect(balance).toMatchObject({ balance: 550 });
      // The expiry of the pack as it was sold: 30 days after the purchase.
      expect(balance.blocks[0]).toMatchObject({
        credits: 550,
        expiresAt: '2026-03-31T12:00:00.000Z',
      });
      const { rows: purchased } = await db.pool.query(
        `SELECT data FROM events WHERE stream_id = 'credits-buyer-recorded' AND type = 'CreditsPurchased'`,
      );
      expect(purchased[0].data).toMatchObject({
        credits: 550,
        packId: 'promo',
        amountPaid: { minor: 990, currency: 'USD' },
      });
    });

    it("credits nothing when the recorded credits are not the catalog's at that revision (an anomaly)", async () => {
      await put('honest', {
        name: 'Honest',
        credits: 100,
        price: { minor: 1000, currency: 'USD' },
      });
      await checkout('buyer-forged', 'honest');
      const metadata = metadataSent(stripeApi.calls('/v1/checkout/sessions')[0].form);
      const forged = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'buyer-forged',
          packId: 'honest',
          amountTotal: 1000,
          metadata: { ...metadata, credits: '100000' },
        }),
      );
      const future = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'buyer-forged',
          packId: 'honest',
          amountTotal: 1000,
          metadata: { ...metadata, catalogRevision: '99999' },
        }),
      );
      for (const delivered of [forged, future])
        expect((await deliverStripeEvent(t, delivered)).status).toBe(200);
      expect((await t.http.get('/v1/accounts/buyer-forged/balance')).body).toMatchObject({
        balance: 0,
      });
      const { rows } = await db.pool.query(
        'SELECT event_id, outcome, detail FROM stripe_events WHERE event_id = ANY($1) ORDER BY event_id',
        [[forged.id, future.id]],
      );
      const byId = Object.fromEntries(rows.map((row) => [row.event_id, row]));
      expect(byId[forged.id]).toMatchObject({
        outcome: 'anomaly',
        detail: expect.objectContaining({
          reason: 'recorded_credits_mismatch',
          expectedCredits: '100',
        }),
      });
      expect(byId[future.id]).toMatchObject({
        outcome: 'anomaly',
        detail: expect.objectContaining({ reason: 'unknown_catalog_revision' }),
      });
    });

    it('still credits a session created before the catalog was editable (no revision): the pack as it is', async () => {
      const legacy = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'buyer-legacy',
          packId: 'standard',
          amountTotal: 2500,
          paymentIntent: stripeId('pi'),
        }),
      );
      expect((await deliverStripeEvent(t, legacy)).status).toBe(200);
      expect((await t.http.get('/v1/accounts/buyer-legacy/balance')).body).toMatchObject({
        balance: 275,
      });
    });
  });
});

describe('the catalog seed and an upgrade of an existing deployment', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const seedPacks = JSON.stringify([
    {
      packId: 'Starter_1',
      name: 'Starter',
      credits: 50,
      price: { minor: 500, currency: 'EUR' },
      expiresAfterDays: 90,
    },
    {
      packId: 'big',
      name: 'Big',
      credits: 500,
      bonusCredits: 100,
      price: { minor: 4000, currency: 'EUR' },
      popular: true,
    },
  ]);

  it('seeds CREDIT_PACKS on first use; later the setting is no longer read, and every instance sees admin changes', async () => {
    const first = await startTestApp({ database: db, env: { CREDIT_PACKS: seedPacks } });
    const second = await startTestApp({
      database: db,
      env: {
        CREDIT_PACKS: JSON.stringify([
          { packId: 'other', name: 'Other', credits: 1, price: { minor: 100, currency: 'USD' } },
        ]),
      },
    });
    try {
      const [a, b] = await Promise.all([
        first.http.get('/v1/credit-packs'),
        second.http.get('/v1/credit-packs'),
      ]);
      // Two instances seeding at once: one seed wins, both answer it.
      expect(a.body).toEqual(b.body);
      const packs = a.body.data.map((pack: any) => pack.packId);
      expect([['Starter_1', 'big'], ['other']]).toContainEqual(packs);
      const seeded = await db.pool.query(
        `SELECT count(*)::int AS count FROM events WHERE stream_id = 'credit-packs'`,
      );
      expect(seeded.rows[0].count).toBe(packs.length);

      if (packs[0] === 'Starter_1') {
        expect(a.body.data).toEqual([
          {
            packId: 'Starter_1',
            name: 'Starter',
            credits: 50,
            bonusCredits: 0,
            price: { minor: 500, currency: 'EUR' },
            popular: false,
            active: true,
            expiresAfterDays: 90,
            savingsPercent: 0,
          },
          expect.objectContaining({ packId: 'big', bonusCredits: 100, savingsPercent: 33 }),
        ]);
      }
      // An old-style id from CREDIT_PACKS can still be edited; the other instance sees the change.
      const edited = await first.http.send<any>(
        'PUT',
        `/v1/credit-packs/${packs[0]}`,
        { name: 'Renamed', credits: 60, price: { minor: 600, currency: 'EUR' } },
        { key: TEST_KEYS.admin },
      );
      expect(edited.status).toBe(200);
      expect((await second.http.get('/v1/credit-packs')).body.data[0]).toMatchObject({
        name: 'Renamed',
        credits: 60,
      });

      // Two instances changing the catalog at once: the loser of each race decides again.
      const writes = await Promise.all(
        [first, second, first, second, first, second].map((instance, index) =>
          instance.http.send<any>(
            'PUT',
            `/v1/credit-packs/race-${index}`,
            { name: 'Race', credits: 10 + index, price: { minor: 500, currency: 'EUR' } },
            { key: TEST_KEYS.admin },
          ),
        ),
      );
      expect(writes.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const ids = (await first.http.get('/v1/credit-packs')).body.data.map(
        (pack: any) => pack.packId,
      );
      expect(ids).toEqual(expect.arrayContaining(['race-0', 'race-5']));
    } finally {
      await first.close();
      await second.close();
    }

    // A restart with another CREDIT_PACKS: the catalog is the stream's, as it was left.
    const restarted = await startTestApp({ database: db, env: { CREDIT_PACKS: seedPacks } });
    try {
      expect((await restarted.http.get('/v1/credit-packs')).body.data[0]).toMatchObject({
        name: 'Renamed',
      });
    } finally {
      await restarted.close();
    }
  });
});

/** The metadata the service sent with a session, as Stripe would store it on the session. */
function metadataSent(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form)
      .filter(([key]) => /^metadata\[[^\]]+\]$/.test(key))
      .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
  );
}

describe('a seeded pack with a Stripe Price that was never checked', () => {
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp | undefined;

  beforeAll(async () => {
    stripeApi.addPrice({ id: 'price_right', unitAmount: 1000, currency: 'usd' });
    stripeApi.addPrice({ id: 'price_wrong', unitAmount: 900, currency: 'usd' });
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_seeded',
      CREDIT_PACKS: JSON.stringify([
        {
          packId: 'right',
          name: 'Right',
          credits: 100,
          price: { minor: 1000, currency: 'USD' },
          stripePriceId: 'price_right',
        },
        {
          packId: 'wrong',
          name: 'Wrong',
          credits: 100,
          price: { minor: 1000, currency: 'USD' },
          stripePriceId: 'price_wrong',
        },
      ]),
    });
  });
  afterAll(() => app?.close());
  beforeEach(() => stripeApi.clear());

  const checkout = (packId: string) =>
    app!.t.http.post('/v1/checkout-sessions', {
      accountId: 'buyer-seeded',
      packId,
      uiMode: 'hosted',
      returnUrl: 'https://app.example.com/done',
    });

  it('is checked before its first checkout: a Price that charges another amount is not sold (503)', async () => {
    const response = await checkout('wrong');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      code: 'unavailable',
      detail: expect.stringMatching(/Pack wrong cannot be sold/),
    });
    expect(stripeApi.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/prices/price_wrong',
    ]);
  });

  it('sells a matching one, asking Stripe about the Price once per process', async () => {
    expect((await checkout('right')).status).toBe(201);
    expect((await checkout('right')).status).toBe(201);
    expect(stripeApi.requests.filter((request) => request.method === 'GET')).toHaveLength(1);
    expect(
      stripeApi.calls('/v1/checkout/sessions').map((call) => call.form['line_items[0][price]']),
    ).toEqual(['price_right', 'price_right']);
  });
});
