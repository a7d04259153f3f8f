import { Webhook } from 'standardwebhooks';
import { SystemClock } from '../../src/shared/clock';
import { FakeStripeApi, type RecordedRequest } from '../payments/support/fake-stripe-api';
import { deliverStripeEvent } from '../payments/support/stripe-test-app';
import { WEBHOOK_SECRET } from '../payments/support/stripe-events';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import {
  billingEvent,
  invoice,
  paymentIntent,
  subscription,
} from '../subscriptions/support/billing-events';
import { Receiver, eventually, type Received } from './support/receiver';
import { SmtpInbox } from './support/smtp-inbox';

const admin = { key: TEST_KEYS.admin };
const granter = { key: TEST_KEYS.granter };
const DAY_MS = 86_400_000;
const TYPES = [
  'transfer.completed',
  'subscription.renewed',
  'subscription.canceled',
  'auto_top_up.succeeded',
  'auto_top_up.failed',
];
const STARTER = {
  planId: 'starter',
  name: 'Starter',
  creditsPerPeriod: 1000,
  price: { minor: 2900, currency: 'USD' },
  stripePriceId: 'price_starter',
  rollover: { maxCredits: 300, expiresAfterPeriods: 2 },
};

/** The metadata the service sent with a PaymentIntent, as Stripe keeps it on the object. */
function metadataOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.form)
      .filter(([key]) => /^metadata\[[^\]]+\]$/.test(key))
      .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
  );
}

/**
 * The programs' and subscriptions' facts published by the notifications reactor (PRODUCT.md §5):
 * a transfer, a renewal, a cancellation and an auto top-up failure, each a Standard Webhooks
 * message verified with the `standardwebhooks` package on a real receiver on 127.0.0.1, and the
 * emails received by a real SMTP server, on the real PostgreSQL; Stripe events signed and
 * delivered like Stripe's, the Stripe API stood in at the network layer.
 */
describe('transfer, subscription and auto top-up notices', () => {
  let database: TestDatabase;
  let t: TestApp;
  let receiver: Receiver;
  let inbox: SmtpInbox;
  let verifier: Webhook;
  const stripeApi = new FakeStripeApi();
  let intents = 0;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    receiver = await Receiver.start();
    database = await createTestDatabase();
    t = await startTestApp({
      database,
      clock: new SystemClock(),
      env: {
        SMTP_URL: inbox.url,
        EMAIL_FROM: 'Acme AI <billing@acme.test>',
        EMAIL_PRODUCT_NAME: 'Acme AI',
        WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
        NOTIFICATIONS_POLL_MS: '20',
        PROJECTION_IDLE_POLL_MS: '20',
        WORKER_INTERVAL_MS: '200',
        STRIPE_SECRET_KEY: 'sk_test_fake',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: await stripeApi.start(),
      },
    });
    // Every auto top-up charge is declined, as Stripe answers an off-session card error.
    stripeApi.responder = (request) => {
      if (request.method !== 'POST' || request.path !== '/v1/payment_intents') return undefined;
      intents += 1;
      const intent = {
        id: `pi_declined_${intents}`,
        object: 'payment_intent',
        amount: Number(request.form.amount),
        currency: request.form.currency,
        status: 'requires_payment_method',
        metadata: metadataOf(request),
      };
      return {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            message: 'Your card was declined.',
            payment_intent: intent,
          },
        },
      };
    };
    const created = await t.http.post(
      '/v1/webhook-endpoints',
      { url: receiver.url, events: TYPES },
      admin,
    );
    expect(created.status).toBe(201);
    verifier = new Webhook(created.body.secret);
    expect((await t.http.post('/v1/plans', STARTER, admin)).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
    await receiver.close();
    await inbox.close();
    await stripeApi.stop();
  });

  const profile = (account: string, email: string) =>
    t.http.send('PUT', `/v1/accounts/${account}/profile`, { email, name: 'Ada' }, granter);
  /** The one message of `type` about `accountId`, its signature verified. */
  const messageOf = async (type: string, accountId: string) => {
    const received = await eventually(
      () => receiver.ofType(type).find((entry) => entry.json.data.accountId === accountId),
      15_000,
      `${type} for ${accountId}`,
    );
    const verified = verifier.verify(received.body, {
      'webhook-id': received.headers['webhook-id'] as string,
      'webhook-timestamp': received.headers['webhook-timestamp'] as string,
      'webhook-signature': received.headers['webhook-signature'] as string,
    });
    expect(verified).toEqual(received.json);
    return received;
  };
  const deliver = async (body: ReturnType<typeof billingEvent>) => {
    expect((await deliverStripeEvent(t, body)).status).toBe(200);
  };
  const ids = (entries: Received[]) => entries.map((entry) => entry.headers['webhook-id']);

  it('a transfer publishes transfer.completed once, about the destination', async () => {
    await t.http.post(
      '/v1/accounts/nt:ann/grants',
      { credits: 100, category: 'paid', reason: 'adjustment' },
      granter,
    );
    const answer = await t.http.post(
      '/v1/transfers',
      { from: 'nt:ann', to: 'nt:bob', credits: 30, reason: 'gift' },
      { ...granter, headers: { 'idempotency-key': 'nt-transfer-1' } },
    );
    expect(answer.status).toBe(201);
    const message = await messageOf('transfer.completed', 'nt:bob');
    expect(message.json).toEqual({
      type: 'transfer.completed',
      timestamp: expect.any(String),
      data: {
        accountId: 'nt:bob',
        transferId: answer.body.transferId,
        from: 'nt:ann',
        to: 'nt:bob',
        credits: 30,
        balance: 30,
        available: 30,
      },
    });
    // Published on the destination's step only: nothing about the source.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.ofType('transfer.completed')).toHaveLength(1);
  });

  it('a renewal publishes subscription.renewed and emails it; a cancellation too', async () => {
    const accountId = 'nt:subscriber';
    await profile(accountId, 'subscriber@example.com');
    const now = Date.now();
    const at = (days: number) => new Date(now + days * DAY_MS).toISOString();
    const period = (
      start: number,
      end: number,
      billingReason: 'subscription_create' | 'subscription_cycle',
    ) =>
      invoice({
        subscriptionId: 'sub_notices',
        accountId,
        planId: 'starter',
        priceId: 'price_starter',
        periodStart: at(start),
        periodEnd: at(end),
        billingReason,
      });
    // The first period is over (nothing granted for it); the second is the renewal.
    await deliver(billingEvent('invoice.paid', period(-40, -10, 'subscription_create'), at(0)));
    const renewal = period(-10, 20, 'subscription_cycle');
    await deliver(billingEvent('invoice.paid', renewal, at(0)));
    const renewed = await messageOf('subscription.renewed', accountId);
    expect(renewed.json.data).toEqual({
      accountId,
      subscriptionId: 'sub_notices',
      invoiceId: renewal.id,
      planId: 'starter',
      periodStart: at(-10).replace(/\.\d{3}Z$/, '.000Z'),
      periodEnd: at(20).replace(/\.\d{3}Z$/, '.000Z'),
      credits: 1000,
      rolloverCredits: 0,
    });
    const renewedMail = await eventually(() => inbox.about('subscription renewed')[0]);
    expect(renewedMail.to).toEqual(['subscriber@example.com']);
    expect(renewedMail.subject).toBe('Your Acme AI subscription renewed: 1000 credits');
    expect(renewedMail.text).toContain('Your starter subscription renewed');
    expect(renewedMail.text).toContain('<strong>starter</strong>');

    await deliver(
      billingEvent(
        'customer.subscription.deleted',
        subscription({
          subscriptionId: 'sub_notices',
          accountId,
          priceId: 'price_starter',
          periodStart: at(-10),
          periodEnd: at(20),
          status: 'canceled',
          endedAt: at(0),
        }),
        at(0),
      ),
    );
    const canceled = await messageOf('subscription.canceled', accountId);
    expect(canceled.json.data).toMatchObject({
      accountId,
      subscriptionId: 'sub_notices',
      planId: 'starter',
      available: 1000,
    });
    const canceledMail = await eventually(() => inbox.about('subscription was canceled')[0]);
    expect(canceledMail.to).toEqual(['subscriber@example.com']);
    expect(canceledMail.text).toContain('The 1000 credits available on your account stay');
    expect(inbox.about('subscription renewed')).toHaveLength(1);
  });

  it('a declined auto top-up publishes auto_top_up.failed and emails it', async () => {
    const accountId = 'nt:auto';
    await profile(accountId, 'auto@example.com');
    // A pack Checkout that saved the card for off-session use.
    await deliver(
      billingEvent(
        'payment_intent.succeeded',
        paymentIntent({
          amount: 1000,
          metadata: { accountId, packId: 'basic', credits: '100', saveForAutoTopUp: 'true' },
          setupFutureUsage: 'off_session',
          paymentMethod: `pm_${accountId}`,
          customer: `cus_${accountId}`,
        }),
        new Date().toISOString(),
      ),
    );
    const put = await t.http.send(
      'PUT',
      `/v1/accounts/${accountId}/auto-top-up`,
      { enabled: true, threshold: 100, packId: 'basic' },
      { key: TEST_KEYS.service },
    );
    expect(put.status).toBe(200);
    // (The checkout's credits come with its checkout.session.completed: granted here instead.)
    await t.http.post(
      `/v1/accounts/${accountId}/grants`,
      { credits: 100, category: 'promotional', reason: 'promotion' },
      granter,
    );
    // Spending 50 takes available below the threshold; the worker's charge is declined.
    expect(
      (await t.http.post(`/v1/accounts/${accountId}/spends`, { credits: 50, description: 'use' }))
        .status,
    ).toBe(201);
    const call = await eventually(() => stripeApi.calls('/v1/payment_intents')[0]);
    await deliver(
      billingEvent(
        'payment_intent.payment_failed',
        paymentIntent({
          id: 'pi_declined_1',
          amount: 1000,
          status: 'requires_payment_method',
          metadata: metadataOf(call),
          error: { code: 'card_declined', message: 'Your card was declined.' },
        }),
        new Date().toISOString(),
      ),
    );
    const failed = await messageOf('auto_top_up.failed', accountId);
    expect(failed.json.data).toMatchObject({
      accountId,
      paymentIntentId: 'pi_declined_1',
      packId: 'basic',
      consecutiveFailures: 1,
      disabled: false,
      available: 50,
    });
    const mail = await eventually(() => inbox.about('automatic top-up failed')[0]);
    expect(mail.to).toEqual(['auto@example.com']);
    expect(mail.subject).toBe('Your Acme AI automatic top-up failed');
    expect(mail.text).toContain('for the basic pack');
    expect(mail.text).toContain('We will try again');
    // One message per fact, whatever the redeliveries: ids are derived from the event.
    expect(new Set(ids(receiver.received)).size).toBe(receiver.received.length);
  });
});
