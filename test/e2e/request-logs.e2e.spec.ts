import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MAIN = join(__dirname, '../../dist/src/main.js');

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
 * The compiled service as `npm start` runs it, at LOG_LEVEL=info: one JSON line per request with
 * the request id, secrets redacted, probes left out. (nestjs-pino's default route pattern matched
 * no path under Fastify with Nest 12, and request logging was silently off.)
 */
describe('request logs of the running service', () => {
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
        ROLE: 'api',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    service.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      lines.push(...complete);
    });
    await waitFor(() => lines.some((line) => line.includes('listening on')), 30_000);
  }, 40_000);

  afterAll(async () => {
    service?.kill('SIGTERM');
    await new Promise((resolve) => service?.once('exit', resolve));
    await database?.drop();
  });

  it('logs each request once as JSON with its request id, the Authorization header redacted, no probes', async () => {
    await fetch(`${baseUrl}/health/live`);
    await fetch(`${baseUrl}/v1/accounts/logged-1/balance`, {
      headers: { 'x-request-id': 'req-logs-1', authorization: 'Bearer not-a-secret-to-log' },
    });
    await waitFor(() => lines.some((line) => line.includes('req-logs-1')), 5_000);
    const requests = lines
      .filter((line) => line.includes('"request completed"'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    expect(requests).toEqual([
      expect.objectContaining({
        level: 30,
        service: 'credits-ledger',
        role: 'api',
        req: expect.objectContaining({
          id: 'req-logs-1',
          method: 'GET',
          url: '/v1/accounts/logged-1/balance',
        }),
        res: expect.objectContaining({ statusCode: 200 }),
      }),
    ]);
    expect(requests[0].req.headers.authorization).toBe('[redacted]');
    expect(lines.join('\n')).not.toContain('not-a-secret-to-log');
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the service');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
