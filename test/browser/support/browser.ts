import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

const ROOT = resolve(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/**
 * Builds the widgets with the same script as `npm run build:web` (Vite's JS API), in a child
 * process: Vite is ESM and jest runs CommonJS. Cached by a hash of web/: a second run costs ~0.1 s.
 */
export function buildWidgets(): void {
  execFileSync(process.execPath, [join(ROOT, 'web', 'build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * Headless Chromium driven by playwright-core: CHROMIUM_PATH when set, else the binary shipped in
 * @sparticuz/chromium (unpacked to /tmp on first use). No display needed.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return chromium.launch({ executablePath: explicit, headless: true });
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return chromium.launch({
    executablePath: await sparticuz.executablePath(),
    args: [...sparticuz.args, '--no-sandbox'],
    headless: true,
  });
}

/**
 * Stands in for https://js.stripe.com/<release>/stripe.js (served by Playwright's routing, so the
 * product code loads "Stripe.js" exactly as in production): `Stripe(key)` whose
 * `createEmbeddedCheckoutPage` mounts a fake payment form where the real one would mount its iframe,
 * and calls `onComplete` when "Pay" is pressed. What it was given is kept in window.__stripeStandIn.
 */
export const STRIPE_JS_STAND_IN = `
window.Stripe = function Stripe(publishableKey) {
  return {
    _registerWrapper: function () {},
    createEmbeddedCheckoutPage: function (options) {
      window.__stripeStandIn = { publishableKey: publishableKey, clientSecret: options.clientSecret };
      var element = null;
      var clear = function () { if (element) element.replaceChildren(); };
      return Promise.resolve({
        mount: function (target) {
          element = typeof target === 'string' ? document.querySelector(target) : target;
          var form = document.createElement('form');
          form.setAttribute('data-testid', 'fake-stripe-checkout');
          form.setAttribute('aria-label', 'Test payment');
          form.innerHTML = '<p>Card 4242 4242 4242 4242 (test stand-in for Stripe Checkout)</p>' +
            '<button type="submit">Pay</button>';
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            if (options.onComplete) options.onComplete();
          });
          element.appendChild(form);
        },
        unmount: clear,
        destroy: function () { clear(); element = null; },
      });
    },
  };
};
`;

/**
 * Stripe.js comes from the stand-in; every other request off this machine is refused, so a widget
 * that fetched a font or a CDN script would fail here (UI.md: works offline).
 */
export async function standInForStripe(page: Page): Promise<string[]> {
  const refused: string[] = [];
  await page.route('https://js.stripe.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body: STRIPE_JS_STAND_IN }),
  );
  await page.route(
    (url) =>
      url.protocol.startsWith('http') &&
      url.hostname !== '127.0.0.1' &&
      url.hostname !== 'js.stripe.com',
    (route) => {
      refused.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  return refused;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core run in the page; the serious and critical violations (UI.md: accessibility is done). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  // A string: the page's DOM types are not in the tests' TypeScript program.
  const violations = await page.evaluate<AxeViolation[]>(`axe.run().then((result) =>
    result.violations.map(({ id, impact, help, nodes }) =>
      ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) })))`);
  return violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? ''));
}

/** The page (or one element of it) as test-results/screenshots/<name>.png, for people to look at. */
export async function screenshot(
  page: Page,
  name: string,
  element?: ReturnType<Page['locator']>,
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await (element ? element.screenshot({ path }) : page.screenshot({ path }));
}

/** Waits (polling the page) until the element's text contains `text`. */
export async function waitForText(
  locator: Locator,
  text: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.innerText({ timeout: timeoutMs }).catch(() => '')) ?? '';
    if (last.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected "${text}" in the element's text, last seen: "${last}"`);
}
