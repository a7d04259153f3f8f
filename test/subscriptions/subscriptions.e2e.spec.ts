import type { ManualClock } from '../../src/shared/clock';
import { FakeStripeApi } from '../payments/support/fake-stripe-api';
import { WEBHOOK_SECRET, event, stripeId } from '../payments/support/stripe-events';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type StripeTestApp,
} from '../payments/support/stripe-test-app';
import { TEST_KEYS, type TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';
import { billingEvent, invoice, subscription } from './support/billing-events';

const JAN = '2026-03-01T00:00:00.000Z';
const FEB = '2026-04-01T00:00:00.000Z';
const MAR = '2026-05-01T00:00:00.000Z';
const APR = '2026-06-01T00:00:00.000Z';
const HOUR = 3_600_000;
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const STARTER = {
  planId: 'starter',
  name: 'Starter',
  creditsPerPeriod: 1000,
  price: { minor: 2900, currency: 'USD' },
  stripePriceId: 'price_starter',
  rollover: { maxCredits: 300, expiresAfterPeriods: 2 },
};
const PRO = {
  planId: 'pro',
  name: 'Pro',
  creditsPerPeriod: 5000,
  price: { minor: 9900, currency: 'USD' },
  stripePriceId: 'price_pro',
  rollover: { maxCredits: 1000, expiresAfterPeriods: 1 },
};

describe('subscriptions with Stripe Billing (HTTP, PostgreSQL, Stripe stood in at the network layer)', () => {
  let t: TestApp;
  let db: TestDatabase;
  let clock: ManualClock;
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp | undefined;

  const admin = { key: TEST_KEYS.admin };
  const put = (path: string, body: unknown, key: string = TEST_KEYS.admin) =>
    t.http.send<any>('PUT', path, body, { key });
  const deliver = async (body: ReturnType<typeof event>) => {
    const response = await deliverStripeEvent(t, body);
    expect(response.status).toBe(200);
    return response;
  };
  const balance = async (accountId: string) =>
    (await t.http.get(`/v1/accounts/${accountId}/balance`)).body;
  const outcomeOf = async (eventId: string) =>
    (
      await db.pool.query<{ outcome: string; detail: Record<string, unknown> }>(
        'SELECT outcome, detail FROM stripe_events WHERE event_id = $1',
        [eventId],
      )
    ).rows[0];

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_credits_ledger_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    ({ t, db } = app);
    clock = t.clock as ManualClock;
    stripeApi.addPrice({
      id: 'price_starter',
      unitAmount: 2900,
      currency: 'usd',
      type: 'recurring',
    });
    stripeApi.addPrice({ id: 'price_pro', unitAmount: 9900, currency: 'usd', type: 'recurring' });
    clock.set(later(JAN, -HOUR));
    expect((await t.http.post('/v1/plans', STARTER, admin)).status).toBe(201);
    expect((await t.http.post('/v1/plans', PRO, admin)).status).toBe(201);
  });
  afterAll(() => app?.close());
  beforeEach(() => stripeApi.clear());

  describe('plans', () => {
    it('lists the plans with scope read', async () => {
      const response = await t.http.get('/v1/plans', { key: TEST_KEYS.readOnly });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([STARTER, PRO]);
    });

    it('writes need scope admin', async () => {
      const response = await t.http.post('/v1/plans', { ...STARTER, planId: 'x' });
      expect(response.status).toBe(403);
      expect((await put('/v1/plans/starter', STARTER, TEST_KEYS.service)).status).toBe(403);
    });

    it('names every bad field at once', async () => {
      const response = await t.http.post(
        '/v1/plans',
        {
          planId: 'Bad Id',
          name: ' ',
          creditsPerPeriod: 0,
          price: { minor: 10, currency: 'usd' },
          stripePriceId: 'prod_1',
          rollover: { maxCredits: -1, expiresAfterPeriods: 1.5 },
          extra: true,
        },
        admin,
      );
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
        [
          'creditsPerPeriod',
          'extra',
          'name',
          'planId',
          'price.currency',
          'price.minor',
          'rollover.expiresAfterPeriods',
          'rollover.maxCredits',
          'stripePriceId',
        ].sort(),
      );
    });

    it('POST of a taken planId is 409 plan_exists; PUT replaces (200) and is audited in the stream', async () => {
      const taken = await t.http.post('/v1/plans', STARTER, admin);
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('plan_exists');
      const team = { ...STARTER, planId: 'team', name: 'Team' };
      const created = await put('/v1/plans/team', team);
      expect(created.status).toBe(200);
      const replaced = await put('/v1/plans/team', { ...team, creditsPerPeriod: 2000 });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ planId: 'team', creditsPerPeriod: 2000 });
      expect(typeof replaced.body.position).toBe('string');
      const { rows } = await db.pool.query<{
        data: { changed: string[] };
        metadata: { actor: unknown };
      }>(
        `SELECT data, metadata FROM events WHERE stream_id = 'subscription-plans' ORDER BY revision`,
      );
      expect(rows.at(-1)?.data.changed).toEqual(['creditsPerPeriod']);
      expect(rows.at(-1)?.metadata.actor).toEqual({ kind: 'admin', id: 'ops' });
      // The same plan again writes nothing.
      const same = await put('/v1/plans/team', { ...team, creditsPerPeriod: 2000 });
      expect(same.status).toBe(200);
      expect(same.body.position).toBeUndefined();
    });
  });

  describe('checkout in subscription mode', () => {
    it('opens Checkout for the plan with the account on the session and the subscription', async () => {
      const response = await t.http.post('/v1/checkout-sessions', {
        accountId: 'sub-checkout',
        planId: 'pro',
        uiMode: 'embedded',
      });
      expect(response.status).toBe(201);
      expect(response.body.clientSecret).toEqual(expect.stringContaining('_secret_'));
      const [created] = stripeApi.calls('/v1/checkout/sessions');
      expect(created.form).toMatchObject({
        mode: 'subscription',
        client_reference_id: 'sub-checkout',
        'line_items[0][price]': 'price_pro',
        'line_items[0][quantity]': '1',
        'metadata[accountId]': 'sub-checkout',
        'metadata[planId]': 'pro',
        'subscription_data[metadata][accountId]': 'sub-checkout',
        'subscription_data[metadata][planId]': 'pro',
        ui_mode: 'embedded_page',
      });
      expect(created.form.customer).toMatch(/^cus_fake/);
    });

    it('refuses an unknown plan, and a plan with a pack', async () => {
      const unknown = await t.http.post('/v1/checkout-sessions', {
        accountId: 'sub-checkout',
        planId: 'nope',
        uiMode: 'embedded',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('planId');
      const both = await t.http.post('/v1/checkout-sessions', {
        accountId: 'sub-checkout',
        planId: 'pro',
        packId: 'basic',
        uiMode: 'embedded',
      });
      expect(both.status).toBe(400);
      expect(stripeApi.calls('/v1/checkout/sessions')).toHaveLength(0);
    });
  });

  describe('the lifecycle through signed Stripe events', () => {
    const accountId = 'subscriber-1';
    const subscriptionId = 'sub_lifecycle';
    const first = invoice({
      subscriptionId,
      accountId,
      planId: 'starter',
      priceId: 'price_starter',
      periodStart: JAN,
      periodEnd: FEB,
      billingReason: 'subscription_create',
    });

    it('checkout completion records the customer and the subscription', async () => {
      clock.set(later(JAN, 60_000));
      const completed = billingEvent(
        'checkout.session.completed',
        {
          id: stripeId('cs'),
          object: 'checkout.session',
          mode: 'subscription',
          status: 'complete',
          payment_status: 'paid',
          client_reference_id: accountId,
          customer: 'cus_lifecycle',
          subscription: subscriptionId,
          metadata: { accountId, planId: 'starter' },
        },
        later(JAN, 30_000),
      );
      await deliver(completed);
      expect((await outcomeOf(completed.id)).outcome).toBe('recorded');
      const answer = await t.http.get(`/v1/accounts/${accountId}/subscription`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        planId: 'starter',
        status: 'active',
        cancelAtPeriodEnd: false,
      });
    });

    it('invoice.paid grants the period credits once, expiring at the period end', async () => {
      const paid = billingEvent('invoice.paid', first, later(JAN, 60_000));
      await deliver(paid);
      await deliver(paid);
      // Another delivery of the same invoice under another event id grants nothing either.
      const again = billingEvent('invoice.paid', first, later(JAN, 120_000));
      await deliver(again);
      expect((await outcomeOf(paid.id)).outcome).toBe('granted');
      expect((await outcomeOf(again.id)).outcome).toBe('duplicate');
      const after = await balance(accountId);
      expect(after.balance).toBe(1000);
      expect(after.blocks).toEqual([
        expect.objectContaining({
          source: 'subscription',
          category: 'promotional',
          credits: 1000,
          expiresAt: FEB,
        }),
      ]);
    });

    it('customer.subscription.updated keeps the state GET answers', async () => {
      const updated = billingEvent(
        'customer.subscription.updated',
        subscription({
          subscriptionId,
          accountId,
          priceId: 'price_starter',
          periodStart: JAN,
          periodEnd: FEB,
          cancelAtPeriodEnd: false,
        }),
        later(JAN, 180_000),
      );
      await deliver(updated);
      expect((await t.http.get(`/v1/accounts/${accountId}/subscription`)).body).toEqual({
        planId: 'starter',
        status: 'active',
        currentPeriodEnd: FEB,
        cancelAtPeriodEnd: false,
      });
    });

    it('renewal after the credits expired rolls the unused ones over, up to maxCredits', async () => {
      clock.set(later(JAN, 2 * 86_400_000));
      expect(
        (
          await t.http.post(`/v1/accounts/${accountId}/spends`, {
            credits: 800,
            description: 'use',
          })
        ).status,
      ).toBe(201);
      // Past the end: the expiry worker may well have expired the 200 left; the invoice comes later.
      clock.set(later(FEB, HOUR));
      const renewal = invoice({
        subscriptionId,
        accountId,
        priceId: 'price_starter',
        periodStart: FEB,
        periodEnd: MAR,
      });
      const paid = billingEvent('invoice.paid', renewal, later(FEB, HOUR));
      await deliver(paid);
      expect((await outcomeOf(paid.id)).detail).toMatchObject({
        rollover: { unusedCredits: 200, credits: 200, expiresAt: APR },
      });
      const after = await balance(accountId);
      expect(after.balance).toBe(1200);
      expect(after.blocks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ source: 'subscription', remaining: 1000, expiresAt: MAR }),
          expect.objectContaining({ source: 'rollover', remaining: 200, expiresAt: APR }),
        ]),
      );
      const history = await t.http.get(`/v1/accounts/${accountId}/transactions?type=subscription`);
      expect(history.status).toBe(200);
    });

    it('an upgrade grants the difference at once; its retry and the proration invoice grant nothing', async () => {
      clock.set(later(FEB, 86_400_000));
      const upgraded = subscription({
        subscriptionId,
        accountId,
        priceId: 'price_pro',
        periodStart: FEB,
        periodEnd: MAR,
      });
      const update = billingEvent(
        'customer.subscription.updated',
        upgraded,
        later(FEB, 86_400_000),
      );
      await deliver(update);
      expect((await outcomeOf(update.id)).outcome).toBe('granted');
      await deliver(
        billingEvent('customer.subscription.updated', upgraded, later(FEB, 86_400_000 + 1000)),
      );
      const proration = billingEvent(
        'invoice.paid',
        invoice({
          subscriptionId,
          accountId,
          priceId: 'price_pro',
          periodStart: later(FEB, 86_400_000),
          periodEnd: MAR,
          billingReason: 'subscription_update',
          prorationOnly: true,
        }),
        later(FEB, 86_400_000 + 2000),
      );
      await deliver(proration);
      expect((await outcomeOf(proration.id)).outcome).toBe('ignored');
      // 1000 + 200 rolled over + 4000 difference.
      expect((await balance(accountId)).balance).toBe(5200);
      expect((await t.http.get(`/v1/accounts/${accountId}/subscription`)).body.planId).toBe('pro');
    });

    it('a downgrade applies from the next period, whose invoice grants the new plan', async () => {
      const downgraded = subscription({
        subscriptionId,
        accountId,
        priceId: 'price_starter',
        periodStart: FEB,
        periodEnd: MAR,
      });
      await deliver(
        billingEvent('customer.subscription.updated', downgraded, later(FEB, 2 * 86_400_000)),
      );
      expect((await balance(accountId)).balance).toBe(5200);
      clock.set(later(MAR, HOUR));
      await deliver(
        billingEvent(
          'invoice.paid',
          invoice({
            subscriptionId,
            accountId,
            priceId: 'price_starter',
            periodStart: MAR,
            periodEnd: APR,
          }),
          later(MAR, HOUR),
        ),
      );
      const after = await balance(accountId);
      // March: Starter's 1000, and February's unused credits (5000 of Pro) rolled over up to
      // Pro's cap (1000); January's 200 rollover block is still there until June.
      expect(after.blocks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ source: 'subscription', remaining: 1000, expiresAt: APR }),
          expect.objectContaining({ source: 'rollover', remaining: 1000 }),
        ]),
      );
    });

    it('customer.subscription.deleted stops future grants and keeps what is there', async () => {
      const before = (await balance(accountId)).balance;
      const deleted = billingEvent(
        'customer.subscription.deleted',
        subscription({
          subscriptionId,
          accountId,
          priceId: 'price_starter',
          periodStart: MAR,
          periodEnd: APR,
          status: 'canceled',
          endedAt: later(MAR, 2 * HOUR),
        }),
        later(MAR, 2 * HOUR),
      );
      clock.set(later(MAR, 2 * HOUR));
      await deliver(deleted);
      expect((await t.http.get(`/v1/accounts/${accountId}/subscription`)).body).toMatchObject({
        status: 'canceled',
      });
      expect((await balance(accountId)).balance).toBe(before);
      // A stray invoice of a later period grants nothing.
      const stray = billingEvent(
        'invoice.paid',
        invoice({
          subscriptionId,
          accountId,
          priceId: 'price_starter',
          periodStart: APR,
          periodEnd: later(APR, 30 * 86_400_000),
        }),
        later(APR, HOUR),
      );
      clock.set(later(MAR, 3 * HOUR));
      await deliver(stray);
      expect((await outcomeOf(stray.id)).outcome).toBe('duplicate');
      // An older update delivered late does not bring it back.
      await deliver(
        billingEvent(
          'customer.subscription.updated',
          subscription({
            subscriptionId,
            accountId,
            priceId: 'price_pro',
            periodStart: MAR,
            periodEnd: APR,
          }),
          later(MAR, HOUR),
        ),
      );
      expect((await t.http.get(`/v1/accounts/${accountId}/subscription`)).body.status).toBe(
        'canceled',
      );
      const events = await t.http.get(`/v1/accounts/${accountId}/events`, {
        key: TEST_KEYS.finance,
      });
      const types = events.body.data.map((recorded: { type: string }) => recorded.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'SubscriptionStarted',
          'SubscriptionRenewed',
          'SubscriptionPlanChanged',
          'SubscriptionCanceled',
        ]),
      );
    });
  });

  describe('out of order, and matching by customer', () => {
    it('an upgrade delivered before the first invoice: the invoice grants the larger plan, once', async () => {
      clock.set(later(JAN, HOUR));
      const accountId = 'subscriber-early';
      await deliver(
        billingEvent(
          'customer.subscription.updated',
          subscription({
            subscriptionId: 'sub_early',
            accountId,
            priceId: 'price_pro',
            periodStart: JAN,
            periodEnd: FEB,
          }),
          later(JAN, 30 * 60_000),
        ),
      );
      expect((await balance(accountId)).balance).toBe(0);
      const paid = invoice({
        subscriptionId: 'sub_early',
        accountId,
        priceId: 'price_starter',
        periodStart: JAN,
        periodEnd: FEB,
        billingReason: 'subscription_create',
      });
      await deliver(billingEvent('invoice.paid', paid, later(JAN, 10 * 60_000)));
      expect((await balance(accountId)).balance).toBe(5000);
    });

    it('an invoice without our metadata is matched by the customer recorded at checkout', async () => {
      clock.set(later(JAN, HOUR));
      const accountId = 'subscriber-by-customer';
      await t.http.post('/v1/checkout-sessions', {
        accountId,
        planId: 'starter',
        uiMode: 'embedded',
      });
      const customer = stripeApi.calls('/v1/checkout/sessions')[0].form.customer;
      const paid = billingEvent(
        'invoice.paid',
        invoice({
          subscriptionId: 'sub_bycustomer',
          accountId: null,
          customer,
          priceId: 'price_starter',
          periodStart: JAN,
          periodEnd: FEB,
        }),
        later(JAN, HOUR),
      );
      await deliver(paid);
      expect((await outcomeOf(paid.id)).outcome).toBe('granted');
      expect((await balance(accountId)).balance).toBe(1000);
    });

    it('an invoice of an unknown customer or price is an anomaly, answered 200', async () => {
      const paid = billingEvent(
        'invoice.paid',
        invoice({
          subscriptionId: 'sub_x',
          accountId: null,
          customer: 'cus_nobody',
          priceId: 'price_starter',
          periodStart: JAN,
          periodEnd: FEB,
        }),
        later(JAN, HOUR),
      );
      await deliver(paid);
      expect((await outcomeOf(paid.id)).outcome).toBe('anomaly');
      const unknownPrice = billingEvent(
        'invoice.paid',
        invoice({
          subscriptionId: 'sub_y',
          accountId: 'someone',
          priceId: 'price_unknown',
          periodStart: JAN,
          periodEnd: FEB,
        }),
        later(JAN, HOUR),
      );
      await deliver(unknownPrice);
      expect((await outcomeOf(unknownPrice.id)).detail).toMatchObject({ reason: 'unknown_plan' });
    });

    it('GET subscription is 404 for an account that never had one', async () => {
      const response = await t.http.get('/v1/accounts/nobody/subscription');
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    });
  });
});
