import { buildWidgets } from '../browser/support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The built console at /console/ over real HTTP: public (the page holds no secret: the key is typed
 * into it), the page never cached, its hashed assets for a year, nothing outside the build.
 */
describe('console: /console/', () => {
  let t: TestApp;

  beforeAll(async () => {
    buildWidgets();
    t = await startTestApp();
  }, 300_000);
  afterAll(() => t?.close());

  it('serves the console without a key, never cached, and redirects /console there', async () => {
    const page = await t.http.get('/console/', { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toMatch(/max-age=0/);
    expect(page.body).toContain('<title>Credits console</title>');

    const redirect = await fetch(`${t.baseUrl}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/console/');
  });

  it('serves its hashed assets for a year, and the widgets demo still at /app/', async () => {
    const html = (await t.http.get('/console/', { key: null })).body as string;
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await t.http.get(script!, { key: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(asset.body).toContain('console-login');

    const demo = await t.http.get('/app/', { key: null });
    expect(demo.status).toBe(200);
    expect(demo.body).toContain('<title>Credit widgets demo</title>');
  });

  it('answers a problem for a file that is not there, and never serves outside the build', async () => {
    const missing = await t.http.get('/console/nope.js', { key: null });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found' });
    const escape = await t.http.get('/console/..%2f..%2fpackage.json', { key: null });
    expect([403, 404]).toContain(escape.status);
    expect(JSON.stringify(escape.body)).not.toContain('"scripts"');
  });
});
