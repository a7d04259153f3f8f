import { request as httpRequest } from 'node:http';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';

const FIVE_MB = 5 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

interface Outcome {
  status: number | undefined;
  body: string;
  /** Any error the client saw: a broken pipe or a reset while it was still sending. */
  error: NodeJS.ErrnoException | null;
}

/**
 * POSTs `bytes` of body with Node's http client, written chunk by chunk as a client uploading a
 * file does (no Expect: 100-continue), and waits until the request is over either way.
 */
function upload(
  baseUrl: string,
  bytes: number,
  headers: Record<string, string>,
  chunked = false,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { status: undefined, body: '', error: null };
    const request = httpRequest(
      `${baseUrl}/v1/accounts/big-1/spends`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...headers,
          ...(chunked ? {} : { 'content-length': String(bytes) }),
        },
        agent: false,
      },
      (response) => {
        outcome.status = response.statusCode;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (outcome.body += chunk));
      },
    );
    request.on('error', (error) => (outcome.error = error));
    request.on('close', () => resolve(outcome));
    let sent = 0;
    const writeMore = () => {
      while (sent < bytes) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, bytes - sent));
        sent += piece.length;
        if (!request.write(piece)) {
          request.once('drain', writeMore);
          return;
        }
      }
      request.end();
    };
    writeMore();
  });
}

/**
 * A body far over BODY_LIMIT_BYTES is refused with 413 before it is read, and the client, still
 * sending, must get to read that 413: not a broken pipe or a connection reset.
 */
describe('bodies over the limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('5 MB with Content-Length (Node http client): 413 problem, no broken pipe', async () => {
    const outcome = await upload(t.baseUrl, FIVE_MB, {
      authorization: `Bearer ${TEST_KEYS.service}`,
    });
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('5 MB chunked, without Content-Length: 413 problem, no broken pipe', async () => {
    const outcome = await upload(
      t.baseUrl,
      FIVE_MB,
      { authorization: `Bearer ${TEST_KEYS.service}` },
      true,
    );
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'payload_too_large' });
  });

  it('5 MB without an API key: 401 before the body is read, no broken pipe', async () => {
    const outcome = await upload(t.baseUrl, FIVE_MB, {});
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe(401);
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'unauthorized' });
  });

  it('5 MB with fetch (undici): the 413 problem, and the connection stays usable', async () => {
    const response = await fetch(`${t.baseUrl}/v1/accounts/big-1/spends`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.service}` },
      body: JSON.stringify({ credits: 1, description: 'x'.repeat(FIVE_MB) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'payload_too_large' });
    const after = await t.http.get('/v1/accounts/big-1/balance');
    expect(after.body).toMatchObject({ balance: 0, revision: -1 });
  });
});
