import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';
import { FakeStripeApi } from './support/fake-stripe-api';
import { startWithFakeStripe, type StripeTestApp } from './support/stripe-test-app';

const SECRET_KEY = 'sk_test_credits_ledger_fake';

describe('credit packs and checkout sessions', () => {
  let db: TestDatabase;
  let t: TestApp;
  const stripeApi = new FakeStripeApi();

  let app: StripeTestApp | undefined;

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, { STRIPE_SECRET_KEY: SECRET_KEY });
    ({ t, db } = app);
  });
  afterAll(() => app?.close());
  beforeEach(() => stripeApi.clear());

  describe('GET /v1/credit-packs', () => {
    it('lists the default catalog of API.md', async () => {
      const response = await t.http.get('/v1/credit-packs', { key: TEST_KEYS.readOnly });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: [
          {
            packId: 'basic',
            name: 'Basic',
            credits: 100,
            bonusCredits: 0,
            price: { minor: 1000, currency: 'USD' },
            popular: false,
            active: true,
            // The smallest pack: the one the others' savings are measured against.
            savingsPercent: 0,
          },
          {
            packId: 'standard',
            name: 'Standard',
            credits: 275,
            bonusCredits: 0,
            price: { minor: 2500, currency: 'USD' },
            popular: true,
            active: true,
            // 9.09 ¢ a credit against Basic's 10 ¢: 9.09 % less, rounded down.
            savingsPercent: 9,
          },
          {
            packId: 'pro',
            name: 'Pro',
            credits: 600,
            bonusCredits: 0,
            price: { minor: 5000, currency: 'USD' },
            popular: false,
            active: true,
            // 8.33 ¢ a credit: 16.67 % less.
            savingsPercent: 16,
          },
        ],
      });
    });

    it('is described in the OpenAPI document with the other payment routes', async () => {
      const { body } = await t.http.get('/docs-json', { key: null });
      expect(Object.keys(body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/credit-packs',
          '/v1/checkout-sessions',
          '/v1/webhooks/stripe',
        ]),
      );
      expect(body.paths['/v1/webhooks/stripe'].post.security ?? []).toEqual([]);
    });

    it('needs an API key with scope read', async () => {
      expect((await t.http.get('/v1/credit-packs', { key: null })).status).toBe(401);
    });
  });

  describe('POST /v1/checkout-sessions', () => {
    it('creates an embedded session from the catalog price, with a new Customer for the account', async () => {
      const response = await t.http.post('/v1/checkout-sessions', {
        accountId: 'org:acme',
        packId: 'standard',
        uiMode: 'embedded',
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        sessionId: 'cs_test_fake1',
        clientSecret: 'cs_test_fake1_secret_fake',
      });

      const [customer] = stripeApi.calls('/v1/customers');
      expect(customer.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
      expect(customer.form['metadata[accountId]']).toBe('org:acme');
      const [session] = stripeApi.calls('/v1/checkout/sessions');
      expect(session.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
      expect(session.form).toMatchObject({
        mode: 'payment',
        ui_mode: 'embedded_page',
        redirect_on_completion: 'never',
        customer: 'cus_fake1',
        client_reference_id: 'org:acme',
        'line_items[0][quantity]': '1',
        'line_items[0][price_data][currency]': 'usd',
        'line_items[0][price_data][unit_amount]': '2500',
        'line_items[0][price_data][product_data][name]': 'Standard: 275 credits',
        'metadata[accountId]': 'org:acme',
        'metadata[packId]': 'standard',
        'metadata[credits]': '275',
        'payment_intent_data[metadata][accountId]': 'org:acme',
        'payment_intent_data[metadata][packId]': 'standard',
        'payment_intent_data[metadata][credits]': '275',
      });
      expect(session.form).not.toHaveProperty('success_url');
      expect(session.form).not.toHaveProperty('line_items[0][price]');
      const { rows } = await db.pool.query(
        'SELECT customer_id FROM stripe_customers WHERE account_id = $1',
        ['org:acme'],
      );
      expect(rows).toEqual([{ customer_id: 'cus_fake1' }]);
    });

    it("reuses the account's Customer on its next checkout (hosted: answers the url)", async () => {
      await t.http.post('/v1/checkout-sessions', {
        accountId: 'user-reuse',
        packId: 'basic',
        uiMode: 'embedded',
        returnUrl: 'https://app.example.com/done?session_id={CHECKOUT_SESSION_ID}',
      });
      const second = await t.http.post('/v1/checkout-sessions', {
        accountId: 'user-reuse',
        packId: 'pro',
        uiMode: 'hosted',
        returnUrl: 'https://app.example.com/billing',
      });
      expect(second.status).toBe(201);
      expect(second.body).toEqual({
        sessionId: expect.stringMatching(/^cs_test_/),
        url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//),
      });

      expect(stripeApi.calls('/v1/customers')).toHaveLength(1);
      const [embedded, hosted] = stripeApi.calls('/v1/checkout/sessions');
      expect(embedded.form).toMatchObject({
        ui_mode: 'embedded_page',
        redirect_on_completion: 'if_required',
        return_url: 'https://app.example.com/done?session_id={CHECKOUT_SESSION_ID}',
      });
      expect(hosted.form).toMatchObject({
        mode: 'payment',
        ui_mode: 'hosted_page',
        customer: embedded.form.customer,
        client_reference_id: 'user-reuse',
        success_url: 'https://app.example.com/billing',
        'line_items[0][price_data][unit_amount]': '5000',
        'metadata[packId]': 'pro',
      });
      expect(hosted.form).not.toHaveProperty('return_url');
    });

    it('passes an Idempotency-Key on to Stripe, scoped to the account', async () => {
      const body = { accountId: 'user-idem-checkout', packId: 'basic', uiMode: 'embedded' };
      expect(
        (
          await t.http.post('/v1/checkout-sessions', body, {
            headers: { 'idempotency-key': 'buy-1' },
          })
        ).status,
      ).toBe(201);
      const [session] = stripeApi.calls('/v1/checkout/sessions');
      expect(session.headers['idempotency-key']).toBe(
        'credits-ledger-checkout:user-idem-checkout:buy-1',
      );
    });

    it.each([
      ['an unknown pack', { accountId: 'user-1', packId: 'mega', uiMode: 'embedded' }, 'packId'],
      [
        'a bad account id',
        { accountId: 'user 1/../x', packId: 'basic', uiMode: 'embedded' },
        'accountId',
      ],
      ['a missing account id', { packId: 'basic', uiMode: 'embedded' }, 'accountId'],
      ['a bad ui mode', { accountId: 'user-1', packId: 'basic', uiMode: 'modal' }, 'uiMode'],
      [
        'a return URL that is not http(s)',
        {
          accountId: 'user-1',
          packId: 'basic',
          uiMode: 'embedded',
          returnUrl: 'javascript:alert(1)',
        },
        'returnUrl',
      ],
      [
        'a relative return URL',
        { accountId: 'user-1', packId: 'basic', uiMode: 'hosted', returnUrl: '/billing' },
        'returnUrl',
      ],
      [
        'a hosted session without a return URL',
        { accountId: 'user-1', packId: 'basic', uiMode: 'hosted' },
        'returnUrl',
      ],
      [
        'a price in the request',
        { accountId: 'user-1', packId: 'basic', uiMode: 'embedded', amount: 1 },
        'amount',
      ],
    ])('answers 400 for %s and calls nothing at Stripe', async (_case, body, field) => {
      const response = await t.http.post('/v1/checkout-sessions', body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'validation_failed',
        errors: expect.arrayContaining([expect.objectContaining({ field })]),
      });
      expect(stripeApi.requests).toEqual([]);
    });

    it('needs scope spend (a read-only key, or grant without spend, is refused)', async () => {
      const body = { accountId: 'user-1', packId: 'basic', uiMode: 'embedded' };
      expect(
        (await t.http.post('/v1/checkout-sessions', body, { key: TEST_KEYS.readOnly })).status,
      ).toBe(403);
      expect(
        (await t.http.post('/v1/checkout-sessions', body, { key: TEST_KEYS.granter })).status,
      ).toBe(403);
      expect((await t.http.post('/v1/checkout-sessions', body, { key: null })).status).toBe(401);
      expect(stripeApi.requests).toEqual([]);
    });

    it("answers 502 payment_provider_error when Stripe refuses, without leaking Stripe's answer", async () => {
      stripeApi.responder = (request) =>
        request.path === '/v1/checkout/sessions'
          ? {
              status: 400,
              body: {
                error: {
                  type: 'invalid_request_error',
                  message: 'secret internal detail sk_live_xyz',
                  param: 'line_items',
                },
              },
            }
          : undefined;
      const response = await t.http.post('/v1/checkout-sessions', {
        accountId: 'user-stripe-down',
        packId: 'basic',
        uiMode: 'embedded',
      });
      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({ code: 'payment_provider_error' });
      expect(JSON.stringify(response.body)).not.toMatch(/secret internal detail|sk_/);
    });
  });
});

describe('payments without STRIPE_SECRET_KEY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 unavailable for checkout with a clear message; the catalog and the ledger still work', async () => {
    const response = await t.http.post('/v1/checkout-sessions', {
      accountId: 'user-1',
      packId: 'basic',
      uiMode: 'embedded',
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 503, code: 'unavailable' });
    expect(response.body.detail).toContain('STRIPE_SECRET_KEY');

    expect((await t.http.get('/v1/credit-packs')).status).toBe(200);
    const grant = await t.http.post(
      '/v1/accounts/user-1/grants',
      { credits: 5, category: 'promotional', reason: 'signup' },
      { key: TEST_KEYS.granter },
    );
    expect(grant.status).toBe(201);
  });
});
