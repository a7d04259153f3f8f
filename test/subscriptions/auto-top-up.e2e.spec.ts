import type { ManualClock } from '../../src/shared/clock';
import { FakeStripeApi, type RecordedRequest } from '../payments/support/fake-stripe-api';
import { WEBHOOK_SECRET } from '../payments/support/stripe-events';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type StripeTestApp,
} from '../payments/support/stripe-test-app';
import { TEST_KEYS, type TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';
import { billingEvent, paymentIntent } from './support/billing-events';

/** Until `check` holds, or 10 s (the reactor and the worker run on their own schedules). */
async function eventually<T>(read: () => T | Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The metadata the service sent with a PaymentIntent, as Stripe keeps it on the object. */
function metadataOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.form)
      .filter(([key]) => /^metadata\[[^\]]+\]$/.test(key))
      .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
  );
}

describe('auto top-up (HTTP, PostgreSQL, reactor and worker, Stripe stood in at the network layer)', () => {
  let t: TestApp;
  let db: TestDatabase;
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp | undefined;
  let declines = false;
  let intents = 0;
  /** The PaymentIntent id answered to each creation, in order. */
  const answered: string[] = [];

  const deliver = async (type: string, object: Parameters<typeof billingEvent>[1]) => {
    const body = billingEvent(type, object, (t.clock as ManualClock).now().toISOString());
    const response = await deliverStripeEvent(t, body);
    expect(response.status).toBe(200);
    return (
      await db.pool.query<{ outcome: string; detail: Record<string, unknown> }>(
        'SELECT outcome, detail FROM stripe_events WHERE event_id = $1',
        [body.id],
      )
    ).rows[0];
  };
  const putAutoTopUp = (accountId: string, body: unknown) =>
    t.http.send<any>('PUT', `/v1/accounts/${accountId}/auto-top-up`, body, {
      key: TEST_KEYS.service,
    });
  const intentCalls = () => stripeApi.calls('/v1/payment_intents');
  const available = async (accountId: string) =>
    (await t.http.get(`/v1/accounts/${accountId}/balance`)).body.available as number;

  /** Saves a card for the account the way a pack Checkout with saveForAutoTopUp does. */
  async function saveCard(accountId: string): Promise<void> {
    const outcome = await deliver(
      'payment_intent.succeeded',
      paymentIntent({
        amount: 1000,
        metadata: { accountId, packId: 'basic', credits: '100', saveForAutoTopUp: 'true' },
        setupFutureUsage: 'off_session',
        paymentMethod: `pm_${accountId}`,
        customer: `cus_${accountId}`,
      }),
    );
    expect(outcome).toMatchObject({
      outcome: 'recorded',
      detail: { paymentMethodSaved: `pm_${accountId}` },
    });
  }

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_credits_ledger_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WORKER_INTERVAL_MS: '200',
    });
    ({ t, db } = app);
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    stripeApi.clear();
    answered.length = 0;
    stripeApi.responder = (request) => {
      if (request.method !== 'POST' || request.path !== '/v1/payment_intents') return undefined;
      intents += 1;
      const id = `pi_auto_${intents}`;
      answered.push(id);
      const intent = {
        id,
        object: 'payment_intent',
        amount: Number(request.form.amount),
        currency: request.form.currency,
        status: declines ? 'requires_payment_method' : 'succeeded',
        metadata: metadataOf(request),
      };
      if (!declines) return { status: 200, body: intent };
      return {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
            payment_intent: intent,
          },
        },
      };
    };
  });

  it('a pack Checkout with saveForAutoTopUp asks Stripe to save the method for off-session use', async () => {
    const response = await t.http.post('/v1/checkout-sessions', {
      accountId: 'saver',
      packId: 'basic',
      uiMode: 'embedded',
      saveForAutoTopUp: true,
    });
    expect(response.status).toBe(201);
    const [created] = stripeApi.calls('/v1/checkout/sessions');
    expect(created.form).toMatchObject({
      mode: 'payment',
      'payment_intent_data[setup_future_usage]': 'off_session',
      'payment_intent_data[metadata][saveForAutoTopUp]': 'true',
    });
  });

  it('PUT needs a saved payment method (409 no_payment_method) and names every bad field', async () => {
    const none = await putAutoTopUp('no-card', { enabled: true, threshold: 100, packId: 'basic' });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('no_payment_method');
    const bad = await putAutoTopUp('no-card', {
      enabled: 'yes',
      threshold: 0,
      packId: 'nope',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
      ['enabled', 'extra', 'packId', 'threshold'].sort(),
    );
  });

  it('tops up off session when available falls below the threshold: one attempt in flight, credits through the webhook', async () => {
    const accountId = 'auto-1';
    await saveCard(accountId);
    const saved = await putAutoTopUp(accountId, { enabled: true, threshold: 100, packId: 'basic' });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      accountId,
      enabled: true,
      threshold: 100,
      packId: 'basic',
      consecutiveFailures: 0,
      hasPaymentMethod: true,
    });
    await t.http.post(
      `/v1/accounts/${accountId}/grants`,
      { credits: 300, category: 'promotional', reason: 'promotion' },
      { key: TEST_KEYS.granter },
    );
    expect(
      (await t.http.post(`/v1/accounts/${accountId}/spends`, { credits: 250, description: 'use' }))
        .status,
    ).toBe(201);
    const [call] = await eventually(intentCalls, (calls) => calls.length > 0);
    expect(call).toBeDefined();
    expect(call.form).toMatchObject({
      amount: '1000',
      currency: 'usd',
      customer: `cus_${accountId}`,
      payment_method: `pm_${accountId}`,
      off_session: 'true',
      confirm: 'true',
      'metadata[accountId]': accountId,
      'metadata[packId]': 'basic',
      'metadata[credits]': '100',
      'metadata[autoTopUp]': 'true',
      'metadata[attempt]': '1',
    });
    expect(call.headers['idempotency-key']).toBe(`credits-ledger-auto-top-up:${accountId}:1`);
    // More spending while the attempt is in flight starts no second one.
    await t.http.post(`/v1/accounts/${accountId}/spends`, { credits: 10, description: 'more' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(intentCalls()).toHaveLength(1);
    // The credits land through the webhook, like any purchase.
    const succeeded = await deliver(
      'payment_intent.succeeded',
      paymentIntent({
        id: 'pi_auto_1',
        amount: 1000,
        metadata: metadataOf(call),
        paymentMethod: `pm_${accountId}`,
        customer: `cus_${accountId}`,
      }),
    );
    expect(succeeded.outcome).toBe('credited');
    expect(await available(accountId)).toBe(140);
    const events = await t.http.get(`/v1/accounts/${accountId}/events`, { key: TEST_KEYS.finance });
    const types = events.body.data.map((event: { type: string }) => event.type);
    expect(types.slice(-2)).toEqual(['CreditsPurchased', 'AutoTopUpSucceeded']);
  });

  it('three failures in a row turn auto top-up off, each recorded once in the account stream', async () => {
    const accountId = 'auto-fails';
    declines = true;
    await saveCard(accountId);
    expect(
      (await putAutoTopUp(accountId, { enabled: true, threshold: 100, packId: 'basic' })).status,
    ).toBe(200);
    await t.http.post(
      `/v1/accounts/${accountId}/grants`,
      { credits: 60, category: 'promotional', reason: 'promotion' },
      { key: TEST_KEYS.granter },
    );
    for (let failure = 1; failure <= 3; failure += 1) {
      // A failure does not retry at once (no retry storm on a declined card): the next spend does.
      if (failure > 1)
        await t.http.post(`/v1/accounts/${accountId}/spends`, { credits: 1, description: 'use' });
      const calls = await eventually(intentCalls, (all) => all.length >= failure);
      expect(calls).toHaveLength(failure);
      const intent = paymentIntent({
        id: answered[failure - 1],
        amount: 1000,
        status: 'requires_payment_method',
        metadata: metadataOf(calls[failure - 1]),
        error: { code: 'card_declined', message: 'Your card was declined.' },
      });
      const failed = await deliver('payment_intent.payment_failed', intent);
      expect(failed).toMatchObject({
        outcome: 'recorded',
        detail: { consecutiveFailures: failure, disabled: failure === 3 },
      });
      // A redelivery (another event id) of the same failure is not counted again.
      expect((await deliver('payment_intent.payment_failed', intent)).outcome).toBe('duplicate');
    }
    await t.http.post(`/v1/accounts/${accountId}/spends`, { credits: 1, description: 'use' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(intentCalls()).toHaveLength(3);
    const events = await t.http.get(`/v1/accounts/${accountId}/events`, { key: TEST_KEYS.finance });
    const failures = events.body.data.filter(
      (event: { type: string }) => event.type === 'AutoTopUpFailed',
    );
    expect(failures.map((event: { data: { disabled: boolean } }) => event.data.disabled)).toEqual([
      false,
      false,
      true,
    ]);
    declines = false;
  });
});
