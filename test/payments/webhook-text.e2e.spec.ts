import { FakeStripeApi } from './support/fake-stripe-api';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type StripeTestApp,
} from './support/stripe-test-app';
import {
  WEBHOOK_SECRET,
  charge,
  checkoutSession,
  event,
  stripeId,
  type StripeEventJson,
} from './support/stripe-events';
import type { HttpResponse, TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';

/**
 * A signed event whose text PostgreSQL cannot store (a NUL) or JSON cannot carry faithfully (an
 * unpaired surrogate) is an anomaly for finance, answered 200: a 5xx would make Stripe deliver it
 * again for days, and it would fail the same way every time (issue 11).
 */
describe('Stripe webhook: events with text that cannot be stored', () => {
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp;
  let t: TestApp;
  let db: TestDatabase;

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    ({ t, db } = app);
  });
  afterAll(() => app.close());
  afterEach(() => expect(stripeApi.requests).toEqual([]));

  const deliver = (body: StripeEventJson): Promise<HttpResponse> => deliverStripeEvent(t, body);

  async function audit(eventId: string): Promise<any> {
    const { rows } = await db.pool.query('SELECT * FROM stripe_events WHERE event_id = $1', [
      eventId,
    ]);
    return rows[0];
  }

  async function ledgerEventCount(): Promise<number> {
    const { rows } = await db.pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM events',
    );
    return rows[0].count;
  }

  function paidSession(
    accountId: string,
    overrides: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return { ...checkoutSession({ accountId, packId: 'basic', amountTotal: 1000 }), ...overrides };
  }

  const cases: Array<[string, () => StripeEventJson, string]> = [
    [
      'a NUL in the metadata account id',
      () =>
        event(
          'checkout.session.completed',
          paidSession('buyer-x', {
            metadata: { accountId: 'buyer\u0000x', packId: 'basic', credits: '100' },
            client_reference_id: null,
          }),
        ),
      'data.object.metadata.accountId',
    ],
    [
      'an unpaired surrogate in the metadata pack id',
      () =>
        event(
          'checkout.session.completed',
          paidSession('buyer-y', {
            metadata: { accountId: 'buyer-y', packId: 'basic\ud800', credits: '100' },
          }),
        ),
      'data.object.metadata.packId',
    ],
    [
      'a NUL in the session id',
      () => event('checkout.session.completed', paidSession('buyer-z', { id: 'cs_\u0000' })),
      'data.object.id',
    ],
    [
      'a NUL in the PaymentIntent of a paid session',
      () =>
        event(
          'checkout.session.completed',
          paidSession('buyer-w', { payment_intent: 'pi_\u0000' }),
        ),
      'data.object.payment_intent',
    ],
    [
      'a NUL in a field the service does not read',
      () =>
        event(
          'checkout.session.completed',
          paidSession('buyer-v', {
            customer_details: { name: 'Bu\u0000yer' },
          }),
        ),
      'data.object.customer_details.name',
    ],
    [
      'a NUL in the PaymentIntent of a refund',
      () =>
        event(
          'charge.refunded',
          charge({ paymentIntent: 'pi_\u0000r', amount: 1000, amountRefunded: 1000 }),
        ),
      'data.object.payment_intent',
    ],
    [
      'an unpaired surrogate in a dispute reason',
      () =>
        event('charge.dispute.created', {
          id: stripeId('dp'),
          object: 'dispute',
          amount: 1000,
          currency: 'usd',
          charge: 'ch_1',
          payment_intent: stripeId('pi'),
          reason: 'fraud\udc00',
        }),
      'data.object.reason',
    ],
    [
      'a NUL in the type of an event the service does not handle',
      () => event('customer.created\u0000', { id: stripeId('cus'), object: 'customer' }),
      'type',
    ],
  ];

  it.each(cases)(
    '%s: 200, recorded as an anomaly naming the field, nothing credited',
    async (_name, make, field) => {
      const delivered = make();
      const before = await ledgerEventCount();
      const response = await deliver(delivered);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true });
      const row = await audit(delivered.id);
      expect(row).toMatchObject({
        outcome: 'anomaly',
        attempts: 1,
        last_error: null,
        detail: { reason: 'unstorable_text' },
      });
      expect(row.detail.fields).toContain(field);
      expect(await ledgerEventCount()).toBe(before);
      const { rows: payments } = await db.pool.query('SELECT * FROM stripe_payments');
      expect(payments).toEqual([]);

      // Redelivered: answered at once, still the same anomaly.
      expect((await deliver(delivered)).status).toBe(200);
      expect(await audit(delivered.id)).toMatchObject({ outcome: 'anomaly', attempts: 2 });
    },
  );

  it('records an event whose own id holds such text under that id with the characters escaped', async () => {
    const delivered = event('checkout.session.completed', paidSession('buyer-u'), {
      id: 'evt_\u0000\ud800',
    });
    expect((await deliver(delivered)).status).toBe(200);
    const row = await audit('evt_\\u0000\\ud800');
    expect(row).toMatchObject({
      outcome: 'anomaly',
      detail: { reason: 'unstorable_text', fields: ['id'] },
    });
    expect((await deliver(delivered)).status).toBe(200);
    expect(await audit('evt_\\u0000\\ud800')).toMatchObject({ outcome: 'anomaly', attempts: 2 });
  });

  it('still credits a clean event of the same shape', async () => {
    const delivered = event('checkout.session.completed', paidSession('buyer-clean'));
    expect((await deliver(delivered)).status).toBe(200);
    expect(await audit(delivered.id)).toMatchObject({
      outcome: 'credited',
      account_id: 'buyer-clean',
    });
  });

  it('records a signed event whose `created` is no real instant, and credits it (was: 500 on every delivery)', async () => {
    const body = {
      ...event('checkout.session.completed', paidSession('buyer-created')),
      created: 1e20,
    };
    const response = await deliver(body);
    expect(response.status).toBe(200);
    expect((await audit(body.id)).outcome).toBe('credited');
    expect((await t.http.get('/v1/accounts/buyer-created/balance')).body).toMatchObject({
      balance: 100,
    });
  });
});
