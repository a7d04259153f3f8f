import Stripe from 'stripe';
import { startTestApp, type HttpResponse, type TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';
import { FakeStripeApi } from './support/fake-stripe-api';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type DeliveryOptions,
  type StripeTestApp,
} from './support/stripe-test-app';
import {
  WEBHOOK_SECRET,
  charge,
  checkoutSession,
  dispute,
  event,
  sign,
  stripeId,
  type StripeEventJson,
} from './support/stripe-events';

const BASIC = { packId: 'basic', credits: 100, amountTotal: 1000 };
const STANDARD = { packId: 'standard', credits: 275, amountTotal: 2500 };

describe('Stripe webhook POST /v1/webhooks/stripe', () => {
  let db: TestDatabase;
  let t: TestApp;
  const stripeApi = new FakeStripeApi();

  let app: StripeTestApp | undefined;

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    ({ t, db } = app);
  });
  afterAll(() => app?.close());
  // Processing an event must never call Stripe: everything it needs is in the signed event.
  afterEach(() => expect(stripeApi.requests).toEqual([]));

  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

  const deliver = (
    body: StripeEventJson | string,
    options: DeliveryOptions = {},
  ): Promise<HttpResponse> => deliverStripeEvent(t, body, options);

  async function balanceOf(
    accountId: string,
  ): Promise<{ balance: number; available: number; revision: number; blocks: any[] }> {
    return (await t.http.get(`/v1/accounts/${accountId}/balance`)).body;
  }

  async function ledgerEvents(
    accountId: string,
  ): Promise<Array<{ type: string; data: any; metadata: any }>> {
    const { rows } = await db.pool.query(
      'SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY revision',
      [`credits-${accountId}`],
    );
    return rows;
  }

  async function audit(eventId: string): Promise<any> {
    const { rows } = await db.pool.query('SELECT * FROM stripe_events WHERE event_id = $1', [
      eventId,
    ]);
    return rows[0];
  }

  function completed(
    accountId: string,
    pack = BASIC,
    overrides: Partial<Parameters<typeof checkoutSession>[0]> = {},
  ): StripeEventJson {
    return event(
      'checkout.session.completed',
      checkoutSession({
        accountId,
        packId: pack.packId,
        amountTotal: pack.amountTotal,
        ...overrides,
      }),
    );
  }

  function paymentIntentOf(e: StripeEventJson): string {
    return e.data.object.payment_intent as string;
  }

  describe('purchases', () => {
    it('credits a paid checkout once, with provider stripe, the PaymentIntent as providerRef and the event as actor', async () => {
      const purchase = completed('buyer-1', STANDARD);
      const response = await deliver(purchase);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true });

      expect(await balanceOf('buyer-1')).toMatchObject({ balance: 275, available: 275 });
      const [recorded] = await ledgerEvents('buyer-1');
      expect(recorded).toMatchObject({
        type: 'CreditsPurchased',
        data: {
          credits: 275,
          amountPaid: { minor: 2500, currency: 'USD' },
          packId: 'standard',
          provider: 'stripe',
          providerRef: paymentIntentOf(purchase),
        },
        metadata: { correlationId: purchase.id, actor: { kind: 'stripe', id: purchase.id } },
      });
      expect(recorded.data.expiresAt).toBeUndefined();
      expect(await audit(purchase.id)).toMatchObject({
        type: 'checkout.session.completed',
        outcome: 'credited',
        account_id: 'buyer-1',
        payment_intent_id: paymentIntentOf(purchase),
        attempts: 1,
      });
    });

    it('credits one purchase delivered five times (three at once) exactly once', async () => {
      const purchase = completed('buyer-5x');
      const concurrent = await Promise.all([
        deliver(purchase),
        deliver(purchase),
        deliver(purchase),
      ]);
      expect(concurrent.map((response) => response.status)).toEqual([200, 200, 200]);
      const later = [await deliver(purchase), await deliver(purchase)];
      expect(later.map((response) => response.status)).toEqual([200, 200]);

      expect(await balanceOf('buyer-5x')).toMatchObject({ balance: 100, revision: 0 });
      expect((await ledgerEvents('buyer-5x')).map((recorded) => recorded.type)).toEqual([
        'CreditsPurchased',
      ]);
      expect(await audit(purchase.id)).toMatchObject({ outcome: 'credited', attempts: 5 });
    });

    it('credits two different events for one PaymentIntent once (completed, then async_payment_succeeded)', async () => {
      const pi = stripeId('pi');
      const session = checkoutSession({
        accountId: 'buyer-2ev',
        packId: 'basic',
        amountTotal: 1000,
        paymentIntent: pi,
      });
      const first = event('checkout.session.completed', session);
      const second = event('checkout.session.async_payment_succeeded', session);
      expect((await deliver(first)).status).toBe(200);
      expect((await deliver(second)).status).toBe(200);

      expect(await balanceOf('buyer-2ev')).toMatchObject({ balance: 100, revision: 0 });
      expect((await audit(first.id)).outcome).toBe('credited');
      expect((await audit(second.id)).outcome).toBe('duplicate');
    });

    it('credits two different events for one PaymentIntent once when they arrive at the same time', async () => {
      const pi = stripeId('pi');
      const session = checkoutSession({
        accountId: 'buyer-2ev-race',
        packId: 'pro',
        amountTotal: 5000,
        paymentIntent: pi,
      });
      const events = [
        event('checkout.session.completed', session),
        event('checkout.session.async_payment_succeeded', session),
      ];
      const responses = await Promise.all(events.map((e) => deliver(e)));
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      expect(await balanceOf('buyer-2ev-race')).toMatchObject({ balance: 600, revision: 0 });
      const outcomes = await Promise.all(events.map(async (e) => (await audit(e.id)).outcome));
      expect(outcomes.sort()).toEqual(['credited', 'duplicate']);
    });

    it('never credits a PaymentIntent to a second account: the later event is an anomaly answered 200, and refunds stay with the first', async () => {
      const pi = stripeId('pi');
      const first = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'pi-owner',
          packId: 'basic',
          amountTotal: 1000,
          paymentIntent: pi,
        }),
      );
      const second = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'pi-other',
          packId: 'basic',
          amountTotal: 1000,
          paymentIntent: pi,
        }),
      );
      expect((await deliver(first)).status).toBe(200);
      const response = await deliver(second);
      expect(response.status).toBe(200);

      expect(await balanceOf('pi-other')).toMatchObject({ balance: 0, revision: -1 });
      expect(await ledgerEvents('pi-other')).toEqual([]);
      expect(await balanceOf('pi-owner')).toMatchObject({ balance: 100, revision: 0 });
      expect(await audit(second.id)).toMatchObject({
        outcome: 'anomaly',
        account_id: 'pi-other',
        payment_intent_id: pi,
        detail: {
          reason: 'payment_intent_credited_to_another_account',
          creditedAccountId: 'pi-owner',
        },
      });
      // Final: a redelivery is answered at once and changes nothing.
      expect((await deliver(second)).status).toBe(200);
      expect(await audit(second.id)).toMatchObject({ outcome: 'anomaly', attempts: 2 });

      // The PaymentIntent still belongs to the first account: its refund reverses there.
      expect(
        await deliver(
          event(
            'charge.refunded',
            charge({ paymentIntent: pi, amount: 1000, amountRefunded: 1000 }),
          ),
        ),
      ).toMatchObject({ status: 200 });
      expect(await balanceOf('pi-owner')).toMatchObject({ balance: 0 });
      expect(await balanceOf('pi-other')).toMatchObject({ balance: 0, revision: -1 });
    });

    it('credits one account when events of one PaymentIntent naming different accounts arrive at once', async () => {
      const pi = stripeId('pi');
      const accounts = ['pi-race-1', 'pi-race-2', 'pi-race-3', 'pi-race-4', 'pi-race-5'];
      const events = accounts.map((accountId) =>
        event(
          'checkout.session.completed',
          checkoutSession({ accountId, packId: 'basic', amountTotal: 1000, paymentIntent: pi }),
        ),
      );
      const responses = await Promise.all(events.map((e) => deliver(e)));
      expect(responses.map((response) => response.status)).toEqual(accounts.map(() => 200));

      const balances = await Promise.all(
        accounts.map(async (accountId) => (await balanceOf(accountId)).balance),
      );
      expect([...balances].sort()).toEqual([0, 0, 0, 0, 100]);
      const owner = accounts[balances.indexOf(100)];
      const outcomes = await Promise.all(events.map(async (e) => (await audit(e.id)).outcome));
      expect(outcomes.sort()).toEqual(['anomaly', 'anomaly', 'anomaly', 'anomaly', 'credited']);
      for (const e of events) {
        const row = await audit(e.id);
        if (row.outcome === 'anomaly')
          expect(row.detail).toMatchObject({
            reason: 'payment_intent_credited_to_another_account',
            creditedAccountId: owner,
          });
      }
    });

    it('calls a PaymentIntent already credited with another pack an anomaly, not a second purchase', async () => {
      const pi = stripeId('pi');
      expect(
        (
          await deliver(
            event(
              'checkout.session.completed',
              checkoutSession({
                accountId: 'pi-repack',
                packId: 'basic',
                amountTotal: 1000,
                paymentIntent: pi,
              }),
            ),
          )
        ).status,
      ).toBe(200);
      const other = event(
        'checkout.session.async_payment_succeeded',
        checkoutSession({
          accountId: 'pi-repack',
          packId: 'standard',
          amountTotal: 2500,
          paymentIntent: pi,
        }),
      );
      expect((await deliver(other)).status).toBe(200);
      expect(await balanceOf('pi-repack')).toMatchObject({ balance: 100, revision: 0 });
      expect(await audit(other.id)).toMatchObject({
        outcome: 'anomaly',
        detail: { reason: 'payment_intent_credited_with_other_figures' },
      });
    });

    it('waits for a delayed payment: unpaid completed credits nothing, async_payment_succeeded credits', async () => {
      const pi = stripeId('pi');
      const unpaid = event(
        'checkout.session.completed',
        checkoutSession({
          accountId: 'buyer-async',
          packId: 'basic',
          amountTotal: 1000,
          paymentIntent: pi,
          paymentStatus: 'unpaid',
        }),
      );
      expect((await deliver(unpaid)).status).toBe(200);
      expect(await balanceOf('buyer-async')).toMatchObject({ balance: 0, revision: -1 });
      expect((await audit(unpaid.id)).outcome).toBe('awaiting_payment');

      const succeeded = event(
        'checkout.session.async_payment_succeeded',
        checkoutSession({
          accountId: 'buyer-async',
          packId: 'basic',
          amountTotal: 1000,
          paymentIntent: pi,
        }),
      );
      expect((await deliver(succeeded)).status).toBe(200);
      expect(await balanceOf('buyer-async')).toMatchObject({ balance: 100 });
    });

    it('credits nothing for a failed delayed payment and records it', async () => {
      const failed = event(
        'checkout.session.async_payment_failed',
        checkoutSession({
          accountId: 'buyer-async-failed',
          packId: 'basic',
          amountTotal: 1000,
          paymentStatus: 'unpaid',
        }),
      );
      expect((await deliver(failed)).status).toBe(200);
      expect(await balanceOf('buyer-async-failed')).toMatchObject({ balance: 0, revision: -1 });
      expect(await audit(failed.id)).toMatchObject({
        outcome: 'payment_failed',
        account_id: 'buyer-async-failed',
      });
    });

    it('records an amount mismatch as an anomaly and credits nothing', async () => {
      const cheap = completed('buyer-cheap', BASIC, { amountTotal: 500 });
      expect((await deliver(cheap)).status).toBe(200);
      const wrongCurrency = completed('buyer-cheap', BASIC, { currency: 'eur' });
      expect((await deliver(wrongCurrency)).status).toBe(200);

      expect(await balanceOf('buyer-cheap')).toMatchObject({ balance: 0, revision: -1 });
      expect(await audit(cheap.id)).toMatchObject({
        outcome: 'anomaly',
        account_id: 'buyer-cheap',
        detail: expect.objectContaining({
          reason: 'amount_mismatch',
          expected: { minor: 1000, currency: 'USD' },
          paid: { minor: 500, currency: 'USD' },
        }),
      });
      expect((await audit(wrongCurrency.id)).detail).toMatchObject({
        reason: 'amount_mismatch',
        paid: { minor: 1000, currency: 'EUR' },
      });
    });

    it('records a pack that is not in the catalog as an anomaly', async () => {
      const unknown = completed('buyer-unknown-pack', {
        packId: 'mega',
        credits: 10_000,
        amountTotal: 1000,
      });
      expect((await deliver(unknown)).status).toBe(200);
      expect(await balanceOf('buyer-unknown-pack')).toMatchObject({ balance: 0, revision: -1 });
      expect((await audit(unknown.id)).detail).toMatchObject({ reason: 'unknown_pack' });
    });

    it('takes the credits from the catalog, not from the metadata', async () => {
      const inflated = completed('buyer-inflated', BASIC, { credits: 1_000_000 });
      expect((await deliver(inflated)).status).toBe(200);
      expect(await balanceOf('buyer-inflated')).toMatchObject({ balance: 100 });
    });

    it('credits nothing for an unpaid session', async () => {
      const unpaid = completed('buyer-unpaid', BASIC, { paymentStatus: 'unpaid' });
      expect((await deliver(unpaid)).status).toBe(200);
      const free = completed('buyer-unpaid', BASIC, {
        paymentStatus: 'no_payment_required',
        paymentIntent: null,
      });
      expect((await deliver(free)).status).toBe(200);
      expect(await balanceOf('buyer-unpaid')).toMatchObject({ balance: 0, revision: -1 });
      expect((await audit(free.id)).outcome).toBe('anomaly');
    });

    it('ignores checkout sessions this service did not create', async () => {
      const foreign = event('checkout.session.completed', {
        ...checkoutSession({ accountId: 'x', packId: 'basic', amountTotal: 1000 }),
        metadata: {},
      });
      expect((await deliver(foreign)).status).toBe(200);
      expect((await audit(foreign.id)).outcome).toBe('ignored');
    });
  });

  describe('signatures', () => {
    it('refuses a wrong, missing or hour-old signature with a 400 problem and credits nothing', async () => {
      const purchase = completed('buyer-forged');
      const wrongSecret = await deliver(purchase, { secret: 'whsec_someone_else' });
      const missing = await deliver(purchase, { signature: null });
      const hourOld = await deliver(purchase, { timestamp: nowSeconds() - 3600 });
      const garbage = await deliver(purchase, { signature: 't=1,v1=deadbeef' });
      for (const response of [wrongSecret, missing, hourOld, garbage]) {
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.body).toMatchObject({
          status: 400,
          code: 'validation_failed',
          errors: [expect.objectContaining({ field: 'Stripe-Signature' })],
        });
      }
      expect(missing.body.errors[0].message).toBe('is missing');
      expect(hourOld.body.errors[0].message).toMatch(/tolerance/);
      expect(await balanceOf('buyer-forged')).toMatchObject({ balance: 0, revision: -1 });
      expect(await audit(purchase.id)).toBeUndefined();
    });

    it('refuses a body altered after signing', async () => {
      const purchase = completed('buyer-tampered');
      const payload = JSON.stringify(purchase, null, 2);
      const signature = sign(payload, { timestamp: nowSeconds() });
      const tampered = payload.replace('"amount_total": 1000', '"amount_total": 100');
      expect(tampered).not.toBe(payload);
      expect((await deliver(tampered, { signature })).status).toBe(400);
      // The same bytes as signed, with the same header, are accepted: verification is on the raw body.
      expect((await deliver(payload, { signature })).status).toBe(200);
      expect(await balanceOf('buyer-tampered')).toMatchObject({ balance: 100 });
    });

    it('accepts a signature within the tolerance (4 minutes old)', async () => {
      const purchase = completed('buyer-late');
      expect((await deliver(purchase, { timestamp: nowSeconds() - 240 })).status).toBe(200);
    });

    it('verifies with the SDK (the header Stripe.webhooks.generateTestHeaderString makes is what Stripe sends)', () => {
      const payload = '{"id":"evt_1","object":"event"}';
      const header = sign(payload, { timestamp: 1_700_000_000 });
      expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
      expect(() =>
        Stripe.webhooks.constructEvent(
          payload,
          header,
          WEBHOOK_SECRET,
          300,
          undefined,
          1_700_000_100_000,
        ),
      ).not.toThrow();
    });
  });

  describe('refunds and disputes', () => {
    async function buy(accountId: string, pack = BASIC): Promise<string> {
      const purchase = completed(accountId, pack);
      expect((await deliver(purchase)).status).toBe(200);
      return paymentIntentOf(purchase);
    }

    it('reverses a full refund, once however often it is delivered', async () => {
      const pi = await buy('refund-full');
      const refunded = event(
        'charge.refunded',
        charge({ paymentIntent: pi, amount: 1000, amountRefunded: 1000, accountId: 'refund-full' }),
        {
          previous: { amount_refunded: 0, refunded: false },
        },
      );
      const atOnce = await Promise.all([deliver(refunded), deliver(refunded), deliver(refunded)]);
      expect(atOnce.map((response) => response.status)).toEqual([200, 200, 200]);
      expect((await deliver(refunded)).status).toBe(200);

      expect(await balanceOf('refund-full')).toMatchObject({ balance: 0, available: 0 });
      const reversals = (await ledgerEvents('refund-full')).filter(
        (recorded) => recorded.type === 'PurchaseReversed',
      );
      expect(reversals).toHaveLength(1);
      expect(reversals[0]).toMatchObject({
        data: { credits: 100, shortfall: 0, reason: 'refund', providerRef: pi },
        metadata: { correlationId: refunded.id, actor: { kind: 'stripe', id: refunded.id } },
      });
      expect(await audit(refunded.id)).toMatchObject({
        outcome: 'reversed',
        account_id: 'refund-full',
        attempts: 4,
      });
    });

    it('reverses a partial refund proportionally, then the rest, whatever order the refunds arrive in', async () => {
      const pi = await buy('refund-partial', STANDARD);
      const refund = (amountRefunded: number) =>
        event('charge.refunded', charge({ paymentIntent: pi, amount: 2500, amountRefunded }));
      const tenDollars = refund(1000);
      const fifteenDollars = refund(1500);
      // The later (cumulative 15.00) refund is delivered first; the earlier one then changes nothing.
      expect((await deliver(fifteenDollars)).status).toBe(200);
      expect(await balanceOf('refund-partial')).toMatchObject({ balance: 275 - 165 }); // 1500/2500 × 275
      expect((await deliver(tenDollars)).status).toBe(200);
      expect(await balanceOf('refund-partial')).toMatchObject({ balance: 110 });
      expect((await audit(tenDollars.id)).outcome).toBe('duplicate');

      const all = refund(2500);
      expect((await deliver(all)).status).toBe(200);
      expect(await balanceOf('refund-partial')).toMatchObject({ balance: 0 });
      const reversed = (await ledgerEvents('refund-partial'))
        .filter((recorded) => recorded.type === 'PurchaseReversed')
        .map((recorded) => recorded.data.credits);
      expect(reversed).toEqual([165, 110]);
    });

    it('rounds a partial refund down to whole credits', async () => {
      const pi = await buy('refund-rounding', STANDARD);
      // 3.33 of 25.00 for 275 credits = 36.63 credits → 36.
      expect(
        (
          await deliver(
            event(
              'charge.refunded',
              charge({ paymentIntent: pi, amount: 2500, amountRefunded: 333 }),
            ),
          )
        ).status,
      ).toBe(200);
      expect(await balanceOf('refund-rounding')).toMatchObject({ balance: 275 - 36 });
    });

    it('reverses a dispute after part of the credits were spent: shortfall recorded, balance never negative', async () => {
      const pi = await buy('disputed');
      const spend = await t.http.post('/v1/accounts/disputed/spends', {
        credits: 70,
        description: 'render',
      });
      expect(spend.status).toBe(201);

      const disputed = event(
        'charge.dispute.created',
        dispute({ paymentIntent: pi, amount: 1000 }),
      );
      expect((await deliver(disputed)).status).toBe(200);
      expect((await deliver(disputed)).status).toBe(200);

      expect(await balanceOf('disputed')).toMatchObject({ balance: 0, available: 0 });
      const reversal = (await ledgerEvents('disputed')).find(
        (recorded) => recorded.type === 'PurchaseReversed',
      );
      expect(reversal).toMatchObject({
        data: {
          credits: 100,
          shortfall: 70,
          reason: 'dispute',
          removed: [expect.objectContaining({ credits: 30 })],
        },
      });
      expect(await audit(disputed.id)).toMatchObject({
        outcome: 'reversed',
        detail: expect.objectContaining({ shortfall: 70, credits: 100 }),
      });
      // A later spend finds nothing: the account cannot go below zero.
      expect(
        (await t.http.post('/v1/accounts/disputed/spends', { credits: 1, description: 'more' }))
          .status,
      ).toBe(402);
    });

    it('reverses the rest with reason dispute after a partial refund', async () => {
      const pi = await buy('refund-then-dispute');
      await deliver(
        event('charge.refunded', charge({ paymentIntent: pi, amount: 1000, amountRefunded: 400 })),
      );
      expect(await balanceOf('refund-then-dispute')).toMatchObject({ balance: 60 });
      await deliver(event('charge.dispute.created', dispute({ paymentIntent: pi, amount: 600 })));
      expect(await balanceOf('refund-then-dispute')).toMatchObject({ balance: 0 });
      const reversals = (await ledgerEvents('refund-then-dispute')).filter(
        (recorded) => recorded.type === 'PurchaseReversed',
      );
      expect(reversals.map((recorded) => [recorded.data.credits, recorded.data.reason])).toEqual([
        [40, 'refund'],
        [60, 'dispute'],
      ]);
    });

    it('applies a refund that arrives before its purchase when the purchase is credited', async () => {
      const pi = stripeId('pi');
      const refunded = event(
        'charge.refunded',
        charge({
          paymentIntent: pi,
          amount: 1000,
          amountRefunded: 1000,
          accountId: 'refund-early',
        }),
      );
      expect((await deliver(refunded)).status).toBe(200);
      expect(await audit(refunded.id)).toMatchObject({ outcome: 'reversal_pending' });

      const purchase = completed('refund-early', BASIC, { paymentIntent: pi });
      expect((await deliver(purchase)).status).toBe(200);
      expect(await balanceOf('refund-early')).toMatchObject({ balance: 0 });
      const types = (await ledgerEvents('refund-early')).map((recorded) => recorded.type);
      expect(types).toEqual(['CreditsPurchased', 'PurchaseReversed']);
      expect((await ledgerEvents('refund-early'))[1].metadata).toMatchObject({
        correlationId: refunded.id,
        causationId: purchase.id,
      });
    });

    it('processes refunds racing each other and their purchase to the same end', async () => {
      const pi = stripeId('pi');
      const purchase = completed('refund-race', STANDARD, { paymentIntent: pi });
      const refunds = [500, 1000, 1000, 2500].map((amountRefunded) =>
        event('charge.refunded', charge({ paymentIntent: pi, amount: 2500, amountRefunded })),
      );
      const responses = await Promise.all([purchase, ...refunds, purchase].map((e) => deliver(e)));
      expect(responses.every((response) => response.status === 200)).toBe(true);
      expect(await balanceOf('refund-race')).toMatchObject({ balance: 0 });
      const reversed = (await ledgerEvents('refund-race')).filter(
        (recorded) => recorded.type === 'PurchaseReversed',
      );
      expect(reversed.reduce((sum, recorded) => sum + recorded.data.credits, 0)).toBe(275);
    });

    it('ignores a refund of a charge without a PaymentIntent', async () => {
      const legacy = event('charge.refunded', {
        ...charge({ paymentIntent: 'x', amount: 1000, amountRefunded: 1000 }),
        payment_intent: null,
      });
      expect((await deliver(legacy)).status).toBe(200);
      expect((await audit(legacy.id)).outcome).toBe('ignored');
    });
  });

  describe('other events and failures', () => {
    it('answers 200 to an event type it does not handle, and records it', async () => {
      const other = event('customer.created', { id: 'cus_x', object: 'customer', metadata: {} });
      const response = await deliver(other);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true });
      expect(await audit(other.id)).toMatchObject({
        type: 'customer.created',
        outcome: 'ignored',
        attempts: 1,
      });
    });

    it('answers 5xx when processing fails, so Stripe retries; the retry finishes the work exactly once', async () => {
      const purchase = completed('buyer-retry');
      // The ledger append succeeds, recording the payment afterwards fails.
      await db.pool.query('ALTER TABLE stripe_payments RENAME TO stripe_payments_away');
      let failed: HttpResponse;
      try {
        failed = await deliver(purchase);
      } finally {
        await db.pool.query('ALTER TABLE stripe_payments_away RENAME TO stripe_payments');
      }
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(failed.body).toMatchObject({ code: 'internal_error' });
      expect(JSON.stringify(failed.body)).not.toMatch(/stripe_payments|relation|SELECT|INSERT/i);
      expect(await audit(purchase.id)).toMatchObject({
        outcome: 'failed',
        last_error: expect.any(String),
      });

      expect((await deliver(purchase)).status).toBe(200);
      expect(await balanceOf('buyer-retry')).toMatchObject({ balance: 100, revision: 0 });
      expect(await audit(purchase.id)).toMatchObject({
        outcome: 'credited',
        attempts: 2,
        last_error: null,
      });
      const { rows } = await db.pool.query(
        'SELECT account_id, credited FROM stripe_payments WHERE payment_intent_id = $1',
        [paymentIntentOf(purchase)],
      );
      expect(rows).toEqual([{ account_id: 'buyer-retry', credited: true }]);
    });

    it('keeps the rest of the API key protected: the webhook needs no key, others still do', async () => {
      expect((await t.http.get('/v1/accounts/buyer-1/balance', { key: null })).status).toBe(401);
    });
  });
});

describe('Stripe webhook with pack expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        CREDIT_PACKS: JSON.stringify([
          {
            packId: 'trial',
            name: 'Trial',
            credits: 50,
            price: { minor: 500, currency: 'EUR' },
            expiresAfterDays: 30,
          },
        ]),
      },
    });
  });
  afterAll(() => t.close());

  it("credits a purchase without STRIPE_SECRET_KEY (no outbound call needed) with the pack's expiry", async () => {
    const purchase = event(
      'checkout.session.completed',
      checkoutSession({
        accountId: 'buyer-trial',
        packId: 'trial',
        amountTotal: 500,
        currency: 'eur',
      }),
    );
    const payload = JSON.stringify(purchase);
    const response = await t.http.post('/v1/webhooks/stripe', undefined, {
      key: null,
      rawBody: payload,
      headers: {
        'stripe-signature': sign(payload, {
          timestamp: Math.floor(t.clock.now().getTime() / 1000),
        }),
      },
    });
    expect(response.status).toBe(200);
    const balance = (await t.http.get('/v1/accounts/buyer-trial/balance')).body;
    expect(balance).toMatchObject({ balance: 50 });
    expect(balance.blocks[0]).toMatchObject({
      category: 'paid',
      expiresAt: '2026-03-31T12:00:00.000Z',
    });
  });
});

describe('Stripe webhook without STRIPE_WEBHOOK_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 unavailable with a clear message; the rest of the service works', async () => {
    const payload = JSON.stringify(
      event(
        'checkout.session.completed',
        checkoutSession({ accountId: 'nobody', packId: 'basic', amountTotal: 1000 }),
      ),
    );
    const response = await t.http.post('/v1/webhooks/stripe', undefined, {
      key: null,
      rawBody: payload,
      headers: {
        'stripe-signature': sign(payload, {
          timestamp: Math.floor(t.clock.now().getTime() / 1000),
        }),
      },
    });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'unavailable' });
    expect(response.body.detail).toContain('STRIPE_WEBHOOK_SECRET');
    expect((await t.http.get('/v1/accounts/nobody/balance')).status).toBe(200);
  });
});
