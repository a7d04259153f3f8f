import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The OpenAPI document describes every status a route can answer (API.md: "Everything is described
 * in the OpenAPI document"), and its security scheme is what the service checks: an API key.
 */
describe('OpenAPI document', () => {
  let t: TestApp;
  let document: any;
  beforeAll(async () => {
    t = await startTestApp();
    const response = await t.http.get('/docs-json', { key: null });
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(() => t.close());

  const statuses = (path: string, method: string): string[] =>
    Object.keys(document.paths[path]?.[method]?.responses ?? {});

  it('an API key as a bearer token, not a JWT', () => {
    const schemes = document.components.securitySchemes;
    expect(Object.keys(schemes)).toEqual(['bearer']);
    expect(schemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      description: expect.stringMatching(/API key/),
    });
    expect(schemes.bearer.bearerFormat).toBeUndefined();
    expect(JSON.stringify(schemes)).not.toMatch(/JWT/);
  });

  const account = '/v1/accounts/{accountId}';
  const writes: Array<[string, string[]]> = [
    [`${account}/spends`, ['402']],
    [`${account}/refunds`, ['404']],
    [`${account}/grants`, []],
    [`${account}/purchases`, []],
    [`${account}/reservations`, ['402']],
    [`${account}/reservations/{reservationId}/capture`, ['404']],
    [`${account}/reservations/{reservationId}/release`, ['404']],
    ['/v1/checkout-sessions', []],
  ];

  it.each(writes)(
    'POST %s documents its own statuses and 400/401/403/409/413/415/429/503',
    (path, own) => {
      expect(statuses(path, 'post')).toEqual(
        expect.arrayContaining(['400', '401', '403', '409', '413', '415', '429', '503', ...own]),
      );
    },
  );

  it('a 429 on a write names the limits and their headers', () => {
    const tooMany = document.paths[`${account}/spends`].post.responses['429'];
    expect(tooMany.description).toMatch(/RATE_LIMIT_WRITES_PER_SECOND_PER_KEY/);
    expect(Object.keys(tooMany.headers)).toEqual(
      expect.arrayContaining([
        'Retry-After',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ]),
    );
    expect(document.paths['/v1/checkout-sessions'].post.responses['429'].description).toMatch(
      /RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT/,
    );
  });

  it('capture and release document the reservation conflicts', () => {
    for (const action of ['capture', 'release']) {
      expect(
        document.paths[`${account}/reservations/{reservationId}/${action}`].post.responses['409']
          .description,
      ).toMatch(/reservation_expired.*reservation_closed/);
    }
  });

  it("release and merge take an optional operator's reason, with the refund's limit", () => {
    const schemas = document.components.schemas;
    const release = document.paths[`${account}/reservations/{reservationId}/release`].post;
    expect(release.requestBody).toMatchObject({ required: false });
    expect(release.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ReleaseRequest',
    );
    const refundReason = schemas.RefundRequest.properties.reason;
    for (const name of ['ReleaseRequest', 'MergeRequest']) {
      expect(schemas[name].properties.reason).toMatchObject({
        type: 'string',
        maxLength: refundReason.maxLength,
      });
      expect(schemas[name].required ?? []).not.toContain('reason');
    }
    expect(schemas.RefundRequest.required).toContain('reason');
  });

  it.each([
    [`${account}/balance`, 'get'],
    [`${account}/check`, 'post'],
    [`${account}/transactions`, 'get'],
    [`${account}/events`, 'get'],
    ['/v1/credit-packs', 'get'],
  ])('%s %s: 401, 403, 429 and 503 like every authenticated route', (path, method) => {
    expect(statuses(path, method)).toEqual(
      expect.arrayContaining(['200', '401', '403', '429', '503']),
    );
  });

  it('readiness documents its 503 and Retry-After', () => {
    const ready = document.paths['/health/ready'].get.responses;
    expect(Object.keys(ready)).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(ready['503'].headers)).toContain('Retry-After');
  });

  it('public routes need no key; every other route needs the API key', () => {
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const isPublic =
          path.startsWith('/health') ||
          path === '/metrics' ||
          path === '/v1/webhooks/stripe' ||
          path === '/v1/widgets/config';
        expect({ route: `${method} ${path}`, security: operation.security ?? [] }).toEqual({
          route: `${method} ${path}`,
          security: isPublic ? [] : [{ bearer: [] }],
        });
      }
    }
  });
});
