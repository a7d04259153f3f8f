import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import { rawRequest, type RawResponse } from './raw-http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A problem as API.md defines it, with the headers every answer carries. */
function expectProblem(response: RawResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
  expect(response.json).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

/**
 * Requests refused before our code runs (by Node's HTTP parser or Fastify's router) and the ids
 * that are path segments of their own: every answer is a problem with a code and a request id.
 * Sent over raw sockets: fetch normalizes `.` segments and cannot send malformed requests.
 */
describe('errors at the edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const get = (path: string, extraHeaders = '') =>
    rawRequest(
      t.baseUrl,
      `GET ${path} HTTP/1.1\r\nHost: ledger\r\nAuthorization: Bearer ${TEST_KEYS.service}\r\n${extraHeaders}Connection: close\r\n\r\n`,
    );

  describe('account ids . and ..', () => {
    it.each([
      ['.', '/v1/accounts/./balance'],
      ['..', '/v1/accounts/../balance'],
      ['. percent-encoded', '/v1/accounts/%2E/balance'],
      ['.. percent-encoded', '/v1/accounts/%2e%2E/balance'],
      ['.. on a write', '/v1/accounts/%2E%2E/spends'],
    ])('refuses %s with 400 validation_failed naming accountId', async (_name, path) => {
      const response = path.endsWith('/spends')
        ? await rawRequest(
            t.baseUrl,
            `POST ${path} HTTP/1.1\r\nHost: ledger\r\nAuthorization: Bearer ${TEST_KEYS.service}\r\nContent-Type: application/json\r\nContent-Length: 33\r\nConnection: close\r\n\r\n{"credits":1,"description":"dot"}`,
          )
        : await get(path);
      expectProblem(response, 400, 'validation_failed');
      expect(response.json.errors).toEqual([
        expect.objectContaining({
          field: 'accountId',
          message: expect.stringContaining('not . or ..'),
        }),
      ]);
    });

    it('still accepts ids with dots in them', async () => {
      for (const accountId of ['...', '.a', 'a..b', 'org.acme.']) {
        const response = await t.http.get(`/v1/accounts/${encodeURIComponent(accountId)}/balance`);
        expect(response.status).toBe(200);
        expect(response.body.accountId).toBe(accountId);
      }
    });
  });

  describe('over-long account ids', () => {
    it.each([
      ['just over the router limit it had (513)', 'a'.repeat(513)],
      ['5,000 characters', 'b'.repeat(5_000)],
      ['percent-encoded to 3,000 characters', '%41'.repeat(1_000)],
    ])(
      '%s: 400 validation_failed naming accountId, the URL not echoed',
      async (_name, accountId) => {
        const response = await get(`/v1/accounts/${accountId}/balance`);
        expectProblem(response, 400, 'validation_failed');
        expect(response.json.errors).toEqual([expect.objectContaining({ field: 'accountId' })]);
        expect(response.body).not.toContain(accountId.slice(0, 200));
      },
    );

    it('an over-long reservation id names reservationId', async () => {
      const response = await rawRequest(
        t.baseUrl,
        `POST /v1/accounts/a1/reservations/${'r'.repeat(700)}/release HTTP/1.1\r\nHost: ledger\r\nAuthorization: Bearer ${TEST_KEYS.service}\r\nConnection: close\r\n\r\n`,
      );
      expectProblem(response, 400, 'validation_failed');
      expect(response.json.errors).toEqual([expect.objectContaining({ field: 'reservationId' })]);
    });
  });

  describe("what Node's HTTP parser refuses", () => {
    it('a header name with a space: 400 problem with a new request id', async () => {
      const response = await rawRequest(
        t.baseUrl,
        'GET /health/live HTTP/1.1\r\nHost: ledger\r\nBad Header: x\r\n\r\n',
      );
      expectProblem(response, 400, 'validation_failed');
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.json.errors).toEqual([expect.objectContaining({ field: 'request' })]);
    });

    it('a header value with a control character: 400 problem', async () => {
      const response = await rawRequest(
        t.baseUrl,
        `GET /health/live HTTP/1.1\r\nHost: ledger\r\nX-Thing: a\x01b\r\n\r\n`,
      );
      expectProblem(response, 400, 'validation_failed');
    });

    it('a request line that is not HTTP: 400 problem', async () => {
      const response = await rawRequest(t.baseUrl, 'HELLO THERE\r\n\r\n');
      expectProblem(response, 400, 'validation_failed');
    });

    it('two different Content-Length headers (request smuggling): 400 problem', async () => {
      const response = await rawRequest(
        t.baseUrl,
        'POST /v1/accounts/a1/spends HTTP/1.1\r\nHost: ledger\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      );
      expectProblem(response, 400, 'validation_failed');
    });

    it('an Expect other than 100-continue: 417 problem (Node alone sends a bare 417)', async () => {
      const response = await rawRequest(
        t.baseUrl,
        'GET /health/live HTTP/1.1\r\nHost: ledger\r\nExpect: something-else\r\nX-Request-Id: expect-1\r\n\r\n',
      );
      expectProblem(response, 417, 'expectation_failed');
      expect(response.headers['x-request-id']).toBe('expect-1');
    });

    it('CONNECT: 405 problem (Node alone closes the connection unanswered)', async () => {
      const response = await rawRequest(
        t.baseUrl,
        'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
      );
      expectProblem(response, 405, 'method_not_allowed');
    });

    it('headers over the size limit: 431 headers_too_large', async () => {
      const response = await rawRequest(
        t.baseUrl,
        `GET /health/live HTTP/1.1\r\nHost: ledger\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`,
      );
      expectProblem(response, 431, 'headers_too_large');
      expect(response.body).not.toContain('yyyy');
    });

    it('a URL over the size limit: 431 headers_too_large, not echoed', async () => {
      const response = await get(`/v1/accounts/${'z'.repeat(20_000)}/balance`);
      expectProblem(response, 431, 'headers_too_large');
      expect(response.body).not.toContain('zzzz');
    });
  });

  describe("what Fastify's router refuses", () => {
    it('bad percent-encoding in a path parameter: 400 problem', async () => {
      const response = await get('/v1/accounts/%zz/balance');
      expectProblem(response, 400, 'validation_failed');
      expect(response.headers['x-request-id']).toEqual(expect.any(String));
    });

    it('an unknown route: 404 not_found problem', async () => {
      expectProblem(await get('/v1/nothing-here'), 404, 'not_found');
    });
  });

  it("keeps the caller's X-Request-Id on a refusal", async () => {
    const response = await get('/v1/accounts/%2E/balance', 'X-Request-Id: edge-test-42\r\n');
    expectProblem(response, 400, 'validation_failed');
    expect(response.headers['x-request-id']).toBe('edge-test-42');
  });
});
