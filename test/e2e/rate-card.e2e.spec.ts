import { MAX_OPERATIONS } from '../../src/pricing/rate-card/card-limits';
import { DEFAULT_RATE_CARD } from '../../src/pricing/rate-card/default-rate-card';
import { operation } from '../pricing/fixtures';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const admin = { key: TEST_KEYS.admin };

/**
 * GET/PUT /v1/rate-card over real HTTP on the real PostgreSQL store (API.md "Prices"), with two
 * service instances on one database: a card published on one is read on the other.
 */
describe('the rate card over HTTP', () => {
  let database: TestDatabase;
  let t: TestApp;
  let other: TestApp;
  const put = (body: unknown, options: { key?: string | null } = admin, app = t) =>
    app.http.send<any>('PUT', '/v1/rate-card', body, options);

  beforeAll(async () => {
    database = await createTestDatabase();
    // A 1,001-operation card is larger than the default body limit (64 KiB): docs/pricing.md.
    const env = { BODY_LIMIT_BYTES: String(1024 * 1024), CONSISTENCY_TIMEOUT_MS: '15000' };
    t = await startTestApp({ database, env });
    other = await startTestApp({ database, env });
  });
  afterAll(async () => {
    await t?.close();
    await other?.close();
    await database?.drop();
  });

  async function newestVersion(): Promise<number> {
    const current = await t.http.get('/v1/rate-card');
    expect(current.status).toBe(200);
    return current.body.version;
  }

  it('serves the default card, version 0, before any publication (scope read)', async () => {
    const response = await t.http.get('/v1/rate-card', { key: TEST_KEYS.readOnly });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(DEFAULT_RATE_CARD);
    expect(
      response.body.operations.map((item: { operationId: string }) => item.operationId),
    ).toEqual(['stem-separation', 'render', 'video-export', 'ai-generation']);
    expect((await t.http.get('/v1/rate-card?version=0')).body).toEqual(DEFAULT_RATE_CARD);
  });

  it('refuses a publication without the admin scope (403), publishing nothing', async () => {
    const card = { operations: [operation('render')] };
    for (const key of [TEST_KEYS.service, TEST_KEYS.granter, TEST_KEYS.readOnly]) {
      const response = await put(card, { key });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('forbidden');
    }
    expect((await put(card, { key: null })).status).toBe(401);
    expect(await newestVersion()).toBe(0);
  });

  it('publishes a card (201, version 1), then serves it as current and by version, on every instance', async () => {
    const operations = [
      operation('render', { minimumAvailable: 20 }),
      operation('video-export', {
        unit: 'second',
        pricing: {
          base: 0,
          perUnit: 3,
          unitSize: 60,
          minimum: 5,
          multiplier: { resolution: { '720p': 1, '1080p': 1.5, '4k': 4 } },
        },
      }),
    ];
    const published = await put({ operations });
    expect(published.status).toBe(201);
    expect(published.body).toEqual({
      version: 1,
      publishedAt: t.clock.now().toISOString(),
      operations,
    });

    expect((await t.http.get('/v1/rate-card')).body).toEqual(published.body);
    expect((await t.http.get('/v1/rate-card?version=1')).body).toEqual(published.body);
    expect((await t.http.get('/v1/rate-card?version=0')).body).toEqual(DEFAULT_RATE_CARD);
    // The other instance reads the stream's tail: it sees the card at once.
    expect((await other.http.get('/v1/rate-card')).body).toEqual(published.body);
    expect((await other.http.get('/v1/rate-card?version=1')).body).toEqual(published.body);
  });

  it('answers 404 for a version never published, 400 for one that is not a version', async () => {
    const missing = await t.http.get('/v1/rate-card?version=99');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', status: 404 });
    for (const bad of ['-1', '1.5', 'abc', '01', '']) {
      const response = await t.http.get(`/v1/rate-card?version=${bad}`);
      expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
      expect(response.body.errors).toEqual([{ field: 'version', message: expect.any(String) }]);
    }
  });

  it('refuses a card with several bad operations at once, naming every field, and publishes nothing', async () => {
    const before = await newestVersion();
    const response = await put({
      operations: [
        operation('render'),
        operation('render'),
        operation('Bad Id', { name: '' }),
        operation('negative', { pricing: { base: -1, perUnit: 2.5, unitSize: 0, minimum: 0 } }),
        operation('zero-factor', {
          pricing: {
            base: 1,
            perUnit: 0,
            unitSize: 1,
            minimum: 0,
            multiplier: { resolution: { '4k': 0, '8k': 1.2345 }, speed: {} },
          },
        }),
      ],
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'operations[2].operationId',
      'operations[2].name',
      'operations[3].pricing.base',
      'operations[3].pricing.perUnit',
      'operations[3].pricing.unitSize',
      'operations[4].pricing.multiplier.resolution.4k',
      'operations[4].pricing.multiplier.resolution.8k',
      'operations[4].pricing.multiplier.speed',
      'operations[1].operationId',
    ]);
    expect(await newestVersion()).toBe(before);
  });

  it(`refuses more than ${MAX_OPERATIONS} operations, and a body that is not a card`, async () => {
    const before = await newestVersion();
    const many = Array.from({ length: MAX_OPERATIONS + 1 }, (_, index) => operation(`op-${index}`));
    const tooMany = await put({ operations: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([
      { field: 'operations', message: `must list at most ${MAX_OPERATIONS} operations` },
    ]);
    for (const body of [
      {},
      { operations: {} },
      { operations: [] },
      { operations: [operation('a')], extra: 1 },
    ]) {
      const response = await put(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    const badText = await put({ operations: [operation('a', { name: 'bad\u0000name' })] });
    expect(badText.status).toBe(400);
    expect(badText.body.errors).toEqual([
      { field: 'operations.0.name', message: expect.stringMatching(/NUL/) },
    ]);
    expect(await newestVersion()).toBe(before);
    // Exactly the limit is a card.
    const limit = await put({ operations: many.slice(0, MAX_OPERATIONS) });
    expect(limit.status).toBe(201);
    expect(limit.body.operations).toHaveLength(MAX_OPERATIONS);
  });

  it('makes consecutive versions of concurrent publications on two instances', async () => {
    const before = await newestVersion();
    const count = 10;
    const responses = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        put({ operations: [operation(`concurrent-${index}`)] }, admin, index % 2 ? other : t),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(count).fill(201));
    const versions = responses.map((response) => response.body.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: count }, (_, index) => before + index + 1));
    for (const response of responses) {
      const read = await t.http.get(`/v1/rate-card?version=${response.body.version}`);
      expect(read.body).toEqual(response.body);
    }
    expect(await newestVersion()).toBe(before + count);
  });

  it('leaves the projections alone: an account write after a publication is projected as usual', async () => {
    await put({ operations: [operation('render')] });
    const grant = await t.http.post(
      '/v1/accounts/rate-card-projected/grants',
      { credits: 5, category: 'promotional', reason: 'promotion' },
      { key: TEST_KEYS.granter },
    );
    expect(grant.status).toBe(201);
    const history = await t.http.get(
      `/v1/accounts/rate-card-projected/transactions?after=${encodeURIComponent(grant.body.position)}`,
    );
    expect(history.status).toBe(200);
    expect(history.body.data).toHaveLength(1);
  });

  it('is described in the OpenAPI document with its statuses', async () => {
    const document = (await t.http.get('/docs-json', { key: null })).body;
    const statuses = (method: string) =>
      Object.keys(document.paths['/v1/rate-card'][method].responses);
    expect(statuses('get')).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(statuses('put')).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '429', '503']),
    );
  });
});
