import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config';
import { installRequestLog } from '../../src/observability/request-log';

/**
 * The request line's shape, as pino-http wrote it before (test/e2e/request-logs.e2e.spec.ts and
 * test/live-balance/running-service.e2e.spec.ts check it on the running service): a real Fastify
 * server on loopback and a pino logger writing into memory.
 */
describe('request log (Fastify onResponse hook)', () => {
  let server: FastifyInstance;
  let lines: Array<Record<string, any>>;
  let baseUrl: string;

  beforeEach(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, any>);
        callback();
      },
    });
    server = Fastify({ genReqId: () => 'generated-id' });
    installRequestLog(server, pino({ level: 'info' }, sink), loadConfig({ ROLE: 'api' }));
    server.get('/v1/accounts/:accountId/balance', () => ({ balance: 1 }));
    server.post('/v1/fail', (_request, reply) => reply.code(503).send({ down: true }));
    server.get('/health/live', () => ({ ok: true }));
    server.get('/metrics', () => 'm 1');
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterEach(() => server.close());

  it('writes one info line per request with the fields pino-http wrote, secrets redacted', async () => {
    const response = await fetch(`${baseUrl}/v1/accounts/a1/balance?token=ct1.secret&x=1`, {
      headers: {
        authorization: 'Bearer key-not-to-log',
        cookie: 'session=not-to-log',
        'stripe-signature': 't=1,v1=not-to-log',
      },
    });
    expect(response.status).toBe(200);
    await server.close();
    expect(lines).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        pid: process.pid,
        hostname: expect.any(String),
        service: 'credits-ledger',
        role: 'api',
        req: {
          id: 'generated-id',
          method: 'GET',
          url: '/v1/accounts/a1/balance?token=[redacted]&x=1',
          query: { token: '[redacted]', x: '1' },
          headers: expect.objectContaining({
            authorization: '[redacted]',
            cookie: '[redacted]',
            'stripe-signature': '[redacted]',
          }),
          remoteAddress: '127.0.0.1',
          remotePort: expect.any(Number),
        },
        res: { statusCode: 200, headers: expect.any(Object) },
        responseTime: expect.any(Number),
        msg: 'request completed',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('not-to-log');
    expect(JSON.stringify(lines)).not.toContain('ct1.secret');
  });

  it('says "request errored" for a 5xx, and leaves health probes and metrics scrapes out', async () => {
    await fetch(`${baseUrl}/health/live`);
    await fetch(`${baseUrl}/metrics`);
    await fetch(`${baseUrl}/v1/fail`, { method: 'POST' });
    await server.close();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request errored',
        req: expect.objectContaining({ method: 'POST', url: '/v1/fail' }),
        res: expect.objectContaining({ statusCode: 503 }),
        err: expect.objectContaining({ type: 'Error', message: 'failed with status code 503' }),
      }),
    ]);
  });
});
