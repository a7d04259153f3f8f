import { SystemClock } from '../../src/shared/clock';
import { FakeStripeApi } from '../payments/support/fake-stripe-api';
import { deliverStripeEvent } from '../payments/support/stripe-test-app';
import { WEBHOOK_SECRET, checkoutSession, event } from '../payments/support/stripe-events';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from './support/receiver';
import { SmtpInbox } from './support/smtp-inbox';

const granter = { key: TEST_KEYS.granter };
const DAY_MS = 86_400_000;

/**
 * Emails end to end (PRODUCT.md §5): a real SMTP server (smtp-server) on 127.0.0.1 receives what
 * nodemailer sends from the email outbox; templates are the files in
 * src/notifications/email/templates with the product name configured.
 */
describe('emails', () => {
  let database: TestDatabase;
  let t: TestApp;
  let inbox: SmtpInbox;
  const stripeApi = new FakeStripeApi();

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    database = await createTestDatabase();
    t = await startTestApp({
      database,
      clock: new SystemClock(),
      env: {
        SMTP_URL: inbox.url,
        EMAIL_FROM: 'Acme AI <billing@acme.test>',
        EMAIL_PRODUCT_NAME: 'Acme AI',
        NOTIFICATIONS_POLL_MS: '20',
        PROJECTION_IDLE_POLL_MS: '20',
        WORKER_INTERVAL_MS: '3600000',
        STRIPE_SECRET_KEY: 'sk_test_fake',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: await stripeApi.start(),
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
    await inbox.close();
    await stripeApi.stop();
  });

  const profile = (account: string, body: Record<string, unknown>) =>
    t.http.send<any>('PUT', `/v1/accounts/${account}/profile`, body, granter);

  it('validates the profile and answers it', async () => {
    const bad = await profile('mail-bad', { email: 'not-an-email', name: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'email',
      'name',
    ]);
    const good = await profile('mail-ada', { email: 'ada@example.com', name: 'Ada' });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ accountId: 'mail-ada', email: 'ada@example.com', name: 'Ada' });
    const unknownField = await profile('mail-ada', { phone: '123' });
    expect(unknownField.status).toBe(400);
  });

  it('sends the welcome email when signup credits land', async () => {
    await profile('mail-welcome', { email: 'new@example.com', name: 'Newcomer' });
    await t.http.post(
      '/v1/accounts/mail-welcome/grants',
      { credits: 100, category: 'promotional', reason: 'signup' },
      granter,
    );
    const [mail] = await eventually(() => {
      const found = inbox.mails.filter((m) => m.to.includes('new@example.com'));
      return found.length > 0 ? found : null;
    });
    expect(mail.subject).toBe('Welcome to Acme AI');
    expect(mail.from).toBe('billing@acme.test');
    expect(mail.text).toContain('Hello Newcomer,');
    expect(mail.text).toContain('100 credits are waiting');
    expect(mail.text).toContain('<strong>100 credits</strong>');
  });

  it('sends a purchase receipt and a low-balance email', async () => {
    await profile('mail-buyer', { email: 'buyer@example.com', name: 'Bea' });
    const purchase = await t.http.post(
      '/v1/accounts/mail-buyer/purchases',
      {
        credits: 500,
        amountPaid: 2500,
        currency: 'USD',
        providerRef: 'offline-mail-1',
      },
      granter,
    );
    expect(purchase.status).toBe(201);
    const receipt = await eventually(() => inbox.about('Your Acme AI receipt: 500 credits')[0]);
    expect(receipt.to).toEqual(['buyer@example.com']);
    expect(receipt.text).toContain('25.00 USD');
    // 500 → 50: below 100, 20 % and 10 % of 500: one email for the spend.
    await t.http.post('/v1/accounts/mail-buyer/spends', { credits: 450, description: 'big job' });
    const low = await eventually(() => inbox.about('balance is low')[0]);
    expect(low.subject).toBe('Your Acme AI balance is low: 50 credits left');
    expect(low.text).toContain('below 100');
    expect(inbox.about('balance is low')).toHaveLength(1);
  });

  it('sends credits.expiring for a block expiring within EXPIRING_NOTICE_DAYS', async () => {
    await profile('mail-expiring', { email: 'soon@example.com' });
    const expiresAt = new Date(Date.now() + 3 * DAY_MS).toISOString();
    await t.http.post(
      '/v1/accounts/mail-expiring/grants',
      { credits: 40, category: 'promotional', reason: 'promotion', expiresAt },
      granter,
    );
    const mail = await eventually(() =>
      inbox.mails.find((m) => m.to.includes('soon@example.com') && m.subject.includes('expire')),
    );
    expect(mail.subject).toBe(`40 Acme AI credits expire on ${expiresAt.slice(0, 10)}`);
    // Sent once: the notice is marked sent in the transaction that wrote it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      inbox.mails.filter((m) => m.to.includes('soon@example.com') && m.subject.includes('expire')),
    ).toHaveLength(1);
  });

  it("uses the Stripe customer's email after a checkout when the profile has none", async () => {
    const completed = event(
      'checkout.session.completed',
      checkoutSession({ accountId: 'mail-stripe', packId: 'basic', amountTotal: 1000 }),
    );
    expect((await deliverStripeEvent(t, completed)).status).toBe(200);
    const receipt = await eventually(() =>
      inbox.mails.find(
        (m) => m.to.includes('buyer@example.com') && m.subject.includes('100 credits'),
      ),
    );
    expect(receipt.text).toContain('10.00 USD');
  });

  it('sends nothing to an account without an address', async () => {
    const before = inbox.mails.length;
    await t.http.post(
      '/v1/accounts/mail-nobody/grants',
      { credits: 100, category: 'promotional', reason: 'signup' },
      granter,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inbox.mails.length).toBe(before);
    const { rows } = await database.pool.query(
      `SELECT count(*)::int AS count FROM email_outbox WHERE account_id = 'mail-nobody'`,
    );
    expect(rows[0].count).toBe(0);
  });
});
