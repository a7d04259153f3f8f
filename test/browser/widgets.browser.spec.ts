import type { Browser, Page } from 'playwright-core';
import { TEST_OPERATIONS } from '../support/rate-cards';
import { TEST_KEYS } from '../support/test-app';
import { FakeStripeApi } from '../payments/support/fake-stripe-api';
import { checkoutSession, event, WEBHOOK_SECRET } from '../payments/support/stripe-events';
import { billingEvent, paymentIntent } from '../subscriptions/support/billing-events';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type StripeTestApp,
} from '../payments/support/stripe-test-app';
import {
  buildWidgets,
  launchChromium,
  screenshot,
  seriousAxeViolations,
  standInForStripe,
  waitForText,
} from './support/browser';

const PUBLISHABLE_KEY = 'pk_test_credits_ledger_widgets';
const DESKTOP = { width: 1100, height: 760 };

/**
 * The credit widgets in a real Chromium (UI.md), against the service on a real PostgreSQL serving
 * the built demo shell at /app/; Stripe's API is the local fake the payment tests use, Stripe.js a
 * stand-in served at its real address, and the webhook is signed with the Stripe SDK.
 */
describe('credit widgets in the browser', () => {
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp;
  let browser: Browser;
  let page: Page;
  let refused: string[];

  beforeAll(async () => {
    buildWidgets();
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_credits_ledger_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      WORKER_INTERVAL_MS: '3600000',
    });
    const published = await app.t.http.send(
      'PUT',
      '/v1/rate-card',
      { operations: TEST_OPERATIONS },
      { key: TEST_KEYS.admin },
    );
    expect(published.status).toBe(201);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP });
    refused = await standInForStripe(page);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(() => stripeApi.clear());

  const http = () => app.t.http;
  const grant = async (accountId: string, credits: number, description?: string) => {
    const response = await http().post(
      `/v1/accounts/${accountId}/grants`,
      { credits, category: 'paid', reason: 'adjustment', description },
      { key: TEST_KEYS.granter },
    );
    expect(response.status).toBe(201);
  };
  /** What the browser holds (PRODUCT.md §6): a customer token for the account, never an API key. */
  const tokenFor = async (accountId: string): Promise<string> => {
    const minted = await http().post(`/v1/accounts/${accountId}/customer-tokens`, {});
    expect(minted.status).toBe(201);
    return minted.body.token as string;
  };
  const open = async (accountId: string, hash = '') => {
    const token = await tokenFor(accountId);
    await page.goto(
      `${app.t.baseUrl}/app/?account=${encodeURIComponent(accountId)}&token=${encodeURIComponent(token)}${hash}`,
    );
  };
  const balance = () => page.getByTestId('credit-balance');
  const focusedTestId = () =>
    // Strings, not functions: the page's DOM types are not in the tests' TypeScript program.
    page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null");

  it('without a token, the demo says how to mint one (and mints none itself outside development)', async () => {
    await page.goto(`${app.t.baseUrl}/app/?account=user:42`);
    await page.getByRole('heading', { name: 'Credit widgets demo' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/No token for user:42/);
    expect(await page.getByTestId('credit-balance').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows 0 for an empty account, never hidden, and only the coin on a 375 px screen', async () => {
    await open('browser:empty');
    await balance().waitFor({ state: 'visible' });
    await waitForText(balance(), '0');
    await screenshot(page, '01-header-empty');

    await page.setViewportSize({ width: 375, height: 700 });
    await balance().waitFor({ state: 'visible' });
    expect(await page.getByTestId('credit-balance-amount').isVisible()).toBe(false);
    expect(await balance().locator('svg').isVisible()).toBe(true);
    expect(await balance().getAttribute('aria-label')).toBe('0 credits');
    await screenshot(page, '02-header-mobile-375');
    await page.setViewportSize(DESKTOP);
    expect(await page.getByTestId('credit-balance-amount').isVisible()).toBe(true);
  });

  it('works with the keyboard alone: the menu and the purchase modal', async () => {
    await grant('browser:keyboard', 500);
    await open('browser:keyboard');
    await waitForText(balance(), '500');
    // Tab from the top of the page to the balance.
    for (let step = 0; step < 10 && (await focusedTestId()) !== 'credit-balance'; step += 1)
      await page.keyboard.press('Tab');
    expect(await focusedTestId()).toBe('credit-balance');

    await page.keyboard.press('Enter');
    await page.getByTestId('credit-balance-menu').waitFor({ state: 'visible' });
    expect(await focusedTestId()).toBe('buy-credits');
    await page.keyboard.press('ArrowDown');
    expect(await focusedTestId()).toBe('view-history');
    await screenshot(page, '03-menu-open');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('credit-balance-menu').count()).toBe(0);
    expect(await focusedTestId()).toBe('credit-balance');

    await page.keyboard.press('ArrowDown');
    expect(await focusedTestId()).toBe('buy-credits');
    await page.keyboard.press('Enter');
    const modal = page.getByTestId('buy-credits-modal');
    await modal.waitFor({ state: 'visible' });
    await page.getByTestId('pack-card').first().waitFor({ state: 'visible' });
    // Tab never leaves the modal.
    for (let step = 0; step < 8; step += 1) {
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate<boolean>(
          `Boolean(document.activeElement?.closest('[data-testid="buy-credits-modal"]'))`,
        ),
      ).toBe(true);
    }
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });
  });

  it('buys a pack in Checkout inside the modal: confetti, the new balance without a reload, the purchase in history', async () => {
    const buyer = 'browser:buyer';
    await grant(buyer, 30, 'Welcome credits');
    await open(buyer);
    await waitForText(balance(), '30');
    // Low balance and an action it does not cover: both offer a top-up.
    await page.getByTestId('low-balance-banner').waitFor({ state: 'visible' });
    await waitForText(page.getByTestId('cost-preview'), 'Render 4K video — 40 credits');
    await page.getByTestId('insufficient-credits').waitFor({ state: 'visible' });
    await screenshot(page, '04-low-balance-and-cost-preview');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByTestId('insufficient-credits').getByTestId('top-up').click();
    const modal = page.getByTestId('buy-credits-modal');
    await modal.waitFor({ state: 'visible' });
    const cards = page.getByTestId('pack-card');
    await cards.first().waitFor({ state: 'visible' });
    expect(await cards.evaluateAll((all) => all.map((card) => card.dataset.packId))).toEqual([
      'basic',
      'standard',
      'pro',
    ]);
    const popular = page.getByTestId('pack-popular-badge');
    expect(await popular.count()).toBe(1);
    expect(
      await popular.evaluate((badge) =>
        badge.closest('[data-pack-id]')?.getAttribute('data-pack-id'),
      ),
    ).toBe('standard');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '05-purchase-modal');
    await screenshot(page, 'readme-modal', modal);

    await page.locator('[data-testid="pack-card"][data-pack-id="standard"]').click();
    const container = page.getByTestId('checkout-container');
    await container.getByTestId('fake-stripe-checkout').waitFor({ state: 'visible' });
    // Inside the modal, on the same page: no redirect.
    expect(await container.evaluate((element) => Boolean(element.closest('dialog[open]')))).toBe(
      true,
    );
    expect(new URL(page.url()).pathname).toBe('/app/');
    const [session] = stripeApi.calls('/v1/checkout/sessions');
    expect(session.form).toMatchObject({
      ui_mode: 'embedded_page',
      'metadata[packId]': 'standard',
    });
    const standIn = await page.evaluate<Record<string, string>>('window.__stripeStandIn');
    expect(standIn).toEqual({
      publishableKey: PUBLISHABLE_KEY,
      clientSecret: expect.stringMatching(/^cs_test_fake\d+_secret_fake$/),
    });
    await screenshot(page, '06-checkout-in-modal');

    await container.getByRole('button', { name: 'Pay' }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByTestId('purchase-success').waitFor({ state: 'visible' });
    await page.getByTestId('confetti').waitFor({ state: 'visible' });
    await screenshot(page, '07-payment-complete-confetti');

    // Stripe's webhook, signed as Stripe signs it, credits the account.
    const delivered = await deliverStripeEvent(
      app.t,
      event(
        'checkout.session.completed',
        checkoutSession({
          accountId: buyer,
          packId: 'standard',
          amountTotal: 2500,
          sessionId: standIn.clientSecret.replace(/_secret_fake$/, ''),
          customer: 'cus_fake1',
        }),
      ),
    );
    expect(delivered.status).toBe(200);
    await waitForText(balance(), '305');
    await waitForText(page.getByTestId('purchase-success'), 'New balance: 305');
    await page.getByTestId('low-balance-banner').waitFor({ state: 'hidden' });
    await waitForText(page.getByTestId('cost-preview'), 'Covered');
    await screenshot(page, '08-purchase-success-new-balance');
    await page.getByTestId('purchase-success').getByRole('button', { name: 'Dismiss' }).click();
    await screenshot(page, 'readme-header', page.locator('header'));

    await balance().click();
    await page.getByTestId('view-history').click();
    const first = page.getByTestId('history-row').first();
    await waitForText(first, '+275');
    const cells = await first.locator('td').allInnerTexts();
    expect(cells.slice(1)).toEqual(['Purchase', expect.any(String), '+275', '305']);
    await waitForText(page.getByTestId('history-row').nth(1), 'Welcome credits');
    await screenshot(page, '09-history-after-purchase');
    expect(refused).toEqual([]);
  });

  it('shows the failure with a retry when Checkout cannot start, and the retry works', async () => {
    await grant('browser:retry', 150);
    await open('browser:retry', '#billing');
    await page.getByTestId('billing-page').waitFor({ state: 'visible' });
    await waitForText(page.getByTestId('billing-page'), '150');
    stripeApi.responder = (request) =>
      request.path === '/v1/checkout/sessions'
        ? { status: 500, body: { error: { type: 'api_error', message: 'Stripe is down' } } }
        : undefined;
    await page.getByTestId('billing-buy-credits').click();
    await page.locator('[data-testid="pack-card"][data-pack-id="basic"]').click();
    const error = page.getByTestId('purchase-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toMatch(/Nothing was charged/);
    await screenshot(page, '10-purchase-error');

    stripeApi.responder = () => undefined;
    await page.getByTestId('purchase-retry').click();
    await page
      .getByTestId('checkout-container')
      .getByTestId('fake-stripe-checkout')
      .waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.getByTestId('buy-credits-modal').waitFor({ state: 'hidden' });
  });

  it('auto top-up settings: no saved card is a clear message with a purchase that saves one; then it turns on and stays on', async () => {
    const account = 'browser:auto-top-up';
    await grant(account, 500);
    await open(account, '#billing');
    const widget = page.getByTestId('auto-top-up');
    const toggle = widget.getByRole('switch', { name: 'Auto top-up' });
    await toggle.waitFor({ state: 'visible' });
    expect(await widget.getByLabel('When available credits fall below').inputValue()).toBe('100');
    expect(await widget.getByLabel('Buy this pack').inputValue()).toBe('standard');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Keyboard only: the switch, the threshold, the pack, Save.
    await toggle.focus();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('50');
    await widget.getByLabel('Buy this pack').selectOption('basic');
    await widget.getByTestId('auto-top-up-save').focus();
    await page.keyboard.press('Enter');
    const missing = widget.getByTestId('auto-top-up-no-payment-method');
    await waitForText(missing, 'needs a saved card');
    await screenshot(page, '12-auto-top-up-no-payment-method');

    // The way out: a purchase whose Checkout asks Stripe to save the card for off-session use.
    await missing.getByTestId('auto-top-up-buy').click();
    const consent = page.getByTestId('save-for-auto-top-up');
    await consent.waitFor({ state: 'visible' });
    expect(await consent.isChecked()).toBe(true);
    await page.locator('[data-testid="pack-card"][data-pack-id="basic"]').click();
    await page
      .getByTestId('checkout-container')
      .getByTestId('fake-stripe-checkout')
      .waitFor({ state: 'visible' });
    const [session] = stripeApi.calls('/v1/checkout/sessions');
    expect(session.form).toMatchObject({
      'metadata[accountId]': account,
      'payment_intent_data[setup_future_usage]': 'off_session',
    });
    await page.keyboard.press('Escape');
    await page.getByTestId('buy-credits-modal').waitFor({ state: 'hidden' });

    // Stripe's signed event for that purchase's PaymentIntent records the saved card.
    const saved = await deliverStripeEvent(
      app.t,
      billingEvent(
        'payment_intent.succeeded',
        paymentIntent({
          amount: 1000,
          metadata: {
            accountId: account,
            packId: 'basic',
            credits: '100',
            saveForAutoTopUp: 'true',
          },
          setupFutureUsage: 'off_session',
          paymentMethod: 'pm_browser_auto',
          customer: 'cus_browser_auto',
        }),
        app.t.clock.now().toISOString(),
      ),
    );
    expect(saved.status).toBe(200);

    await widget.getByTestId('auto-top-up-save').click();
    await waitForText(widget.getByTestId('auto-top-up-saved'), 'Auto top-up is on');
    await screenshot(page, '13-auto-top-up-on');

    await page.reload();
    await toggle.waitFor({ state: 'visible' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    expect(await widget.getByLabel('When available credits fall below').inputValue()).toBe('50');
    expect(await widget.getByLabel('Buy this pack').inputValue()).toBe('basic');
    await waitForText(widget.getByTestId('auto-top-up-card'), 'A card is saved');
  });

  it('pages through the history, newest first, and follows a spend without a reload', async () => {
    const account = 'browser:history';
    for (let n = 1; n <= 12; n += 1) await grant(account, n, `Grant number ${n}`);
    await open(account, '#history');
    const rows = page.getByTestId('history-row');
    await waitForText(rows.first(), 'Grant number 12');
    expect(await rows.count()).toBe(10);
    expect(await rows.first().locator('td').last().innerText()).toBe('78');
    await screenshot(page, '11-history-page-1');
    await page.getByTestId('history-next').click();
    await waitForText(rows.first(), 'Grant number 2');
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('history-next').isDisabled()).toBe(true);

    const spent = await http().post(`/v1/accounts/${account}/spends`, {
      credits: 8,
      description: 'Rendered a preview',
    });
    expect(spent.status).toBe(201);
    await waitForText(balance(), '70', 15_000);
  });
});
