import { buildWidgets } from '../browser/support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The service side of the widgets over real HTTP: their public settings, and the built demo shell
 * and bundles at /app/ (public like /docs: the page holds no secret, its token comes in its URL).
 */
describe('widgets: config route and /app/', () => {
  let t: TestApp;

  beforeAll(async () => {
    buildWidgets();
    t = await startTestApp({ env: { STRIPE_PUBLISHABLE_KEY: 'pk_test_widgets123' } });
  }, 300_000);
  afterAll(() => t?.close());

  it('serves the publishable key and the low-balance threshold without a key', async () => {
    const response = await t.http.get('/v1/widgets/config', { key: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      stripePublishableKey: 'pk_test_widgets123',
      lowBalanceThreshold: 100,
    });
  });

  it('serves the demo shell at /app/ without a key, never cached, and redirects /app there', async () => {
    const page = await t.http.get('/app/?account=user:1&token=abc', { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toMatch(/max-age=0/);
    expect(page.body).toContain('<div id="root"></div>');

    const redirect = await fetch(`${t.baseUrl}/app`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/app/');
  });

  it('serves the hashed assets for a year and the plain ESM bundle for pages without React', async () => {
    const html = (await t.http.get('/app/', { key: null })).body as string;
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await t.http.get(script!, { key: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);

    const bundle = await t.http.get('/app/widgets/credit-widgets.js', { key: null });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.body).toContain('mountCreditWidgets');
  });

  it('answers a problem for a file that is not there, and never serves outside the build', async () => {
    const missing = await t.http.get('/app/nope.js', { key: null });
    expect(missing.status).toBe(404);
    const escape = await t.http.get('/app/..%2f..%2fpackage.json', { key: null });
    expect([403, 404]).toContain(escape.status);
    expect(escape.body).toMatchObject({ code: 'not_found' });
    expect(JSON.stringify(escape.body)).not.toContain('"scripts"');
  });
});
