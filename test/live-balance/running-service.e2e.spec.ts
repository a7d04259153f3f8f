import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { SseClient } from './sse-client';

const MAIN = join(__dirname, '../../dist/src/main.js');
const SERVICE_KEY = 'svc-log-secret-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Customer tokens never reach a log (PRODUCT.md §6): the compiled service as `npm start` runs it, at
 * LOG_LEVEL=debug, every line of its output captured while a token is used in the Authorization
 * header, as `?token=` on the balance stream (the request log prints URLs), tampered with, and
 * expired-looking. Neither the token nor its signature appears; the stream's URL is logged with
 * `token=[redacted]`.
 */
describe('customer tokens in the logs of the running service', () => {
  let database: TestDatabase;
  let service: ChildProcess;
  const lines: string[] = [];
  let baseUrl = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: database.connectionString,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        ROLE: 'all',
        NODE_ENV: 'test',
        LEDGER_API_KEYS: `svc:${SERVICE_KEY}:read|spend`,
        CUSTOMER_TOKEN_SECRET: 'log-test-customer-token-secret-0123456789',
        BALANCE_STREAM_HEARTBEAT_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    const collect = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      lines.push(...complete);
    };
    service.stdout!.on('data', collect);
    service.stderr!.on('data', collect);
    await waitFor(() => lines.some((line) => line.includes('listening on')), 30_000);
  }, 40_000);

  afterAll(async () => {
    service?.kill('SIGTERM');
    await new Promise((resolve) => service?.once('exit', resolve));
    await database?.drop();
  });

  it('logs neither the token nor its signature, wherever it was sent', async () => {
    const minted = await fetch(`${baseUrl}/v1/accounts/logged-ct/customer-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_KEY}`, 'x-request-id': 'ct-mint' },
    });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    const signature = token.split('.').at(-1)!;

    const balance = await fetch(`${baseUrl}/v1/accounts/logged-ct/balance`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'ct-header' },
    });
    expect(balance.status).toBe(200);
    const refused = await fetch(`${baseUrl}/v1/accounts/logged-ct/spends`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credits: 1, description: 'x' }),
    });
    expect(refused.status).toBe(403);

    const stream = await SseClient.open(
      `${baseUrl}/v1/accounts/logged-ct/balance/stream?token=${token}&x=1`,
      { 'x-request-id': 'ct-stream' },
    );
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.comments.includes('heartbeat'), 3_000);
    await stream.close();

    const tampered = `${token.slice(0, -4)}AAAA`;
    const forged = await fetch(
      `${baseUrl}/v1/accounts/logged-ct/balance/stream?token=${tampered}`,
      { headers: { 'x-request-id': 'ct-forged' } },
    );
    expect(forged.status).toBe(401);

    await waitFor(
      () =>
        ['ct-header', 'ct-stream', 'ct-forged'].every((id) => lines.some((l) => l.includes(id))),
      5_000,
    );
    const output = lines.join('\n');
    expect(output).not.toContain(token);
    expect(output).not.toContain(signature);
    expect(output).not.toContain(tampered);
    expect(output).not.toContain(tampered.split('.').at(-1)!);

    const logged = lines
      // A stream the client closed is logged as "request aborted".
      .filter((line) => /"request (completed|aborted)"/.test(line))
      .map((line) => JSON.parse(line) as { req: { id: string; url: string; query?: unknown } });
    const streamLine = logged.find((line) => line.req.id === 'ct-stream');
    expect(streamLine?.req.url).toBe('/v1/accounts/logged-ct/balance/stream?token=[redacted]&x=1');
  });
});

describe('open balance streams when the service stops', () => {
  let database: TestDatabase;
  let service: ChildProcess;
  const lines: string[] = [];
  let baseUrl = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: database.connectionString,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    await waitFor(() => lines.some((line) => line.includes('listening on')), 30_000);
  }, 40_000);
  afterAll(async () => {
    if (service.exitCode === null) service.kill('SIGKILL');
    await database?.drop();
  });

  it('end at once on SIGTERM, so the HTTP drain does not wait for them', async () => {
    const stream = await SseClient.open(`${baseUrl}/v1/accounts/stopping/balance/stream`);
    expect(stream.status).toBe(200);
    await stream.waitFor(() => stream.balances().length === 1);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => service.once('exit', resolve));
    service.kill('SIGTERM');
    await stream.waitFor(() => stream.ended, 5_000);
    expect(await exited).toBe(0);
    // The drain would otherwise wait HTTP_DRAIN_TIMEOUT_MS (10 s) for the open stream.
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the service');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
