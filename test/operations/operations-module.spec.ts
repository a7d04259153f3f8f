import { Global, Module, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DATABASE } from '../../src/database/database';
import type { EmbeddedHealth } from '../../src/database/embedded-postgres';
import { EVENT_STORE } from '../../src/event-store/event-store.port';
import { MetricsRegistry } from '../../src/observability/metrics-registry';
import { CHECK_TIMEOUT_MS } from '../../src/operations/health-indicators';
import { OperationsModule } from '../../src/operations/operations.module';

/**
 * OperationsModule on its own (terminus, the indicators, the two controllers) over fakes of what
 * it needs from the application: the answers docs/operations.md promises, including those the
 * end-to-end suites cannot provoke (a database that does not answer, an embedded PostgreSQL that
 * could not be restarted).
 */
describe('OperationsModule: /health/live and /health/ready with terminus', () => {
  let embedded: EmbeddedHealth;
  let query: () => Promise<unknown>;
  let ping: () => Promise<void>;
  let app: NestFastifyApplication;

  @Global()
  @Module({
    providers: [
      {
        provide: DATABASE,
        useValue: {
          pool: { query: () => query() },
          health: () => embedded,
        },
      },
      { provide: EVENT_STORE, useValue: { ping: () => ping() } },
      { provide: MetricsRegistry, useValue: new MetricsRegistry({ collectProcessMetrics: false }) },
    ],
    exports: [DATABASE, EVENT_STORE, MetricsRegistry],
  })
  class FakeInfrastructure {}

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeInfrastructure, OperationsModule],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => (app as INestApplication | undefined)?.close());

  beforeEach(() => {
    embedded = { status: 'up' };
    query = () => Promise.resolve({ rows: [{ '?column?': 1 }] });
    ping = () => Promise.resolve();
  });

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.json(),
    };
  };

  it('ready: 200 with every check up, and never cached', async () => {
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, eventStore: { status: 'up' } },
    });
    expect(ready.headers['retry-after']).toBeUndefined();
    expect(ready.headers['cache-control']).toContain('no-store');
  });

  it('ready: 503 with Retry-After, the failing check down with its reason, the others up', async () => {
    ping = () => Promise.reject(new Error('EventStoreDB unavailable: ECONNREFUSED'));
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.body).toEqual({
      status: 'unavailable',
      checks: {
        database: { status: 'up' },
        eventStore: { status: 'down', error: 'EventStoreDB unavailable: ECONNREFUSED' },
      },
    });
  });

  it('ready: a database that does not answer in time is down', async () => {
    query = () => new Promise(() => undefined);
    const started = Date.now();
    const ready = await get('/health/ready');
    expect(Date.now() - started).toBeGreaterThanOrEqual(CHECK_TIMEOUT_MS - 50);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      status: 'unavailable',
      checks: {
        database: { status: 'down', error: expect.stringContaining(String(CHECK_TIMEOUT_MS)) },
        eventStore: { status: 'up' },
      },
    });
  });

  it('live: 200 while the embedded PostgreSQL runs or is being restarted', async () => {
    for (const state of [
      { status: 'up' },
      { status: 'restarting', reason: 'postmaster exited with code 1' },
    ] satisfies EmbeddedHealth[]) {
      embedded = state;
      const live = await get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
    }
  });

  it('live: 503 with the reason once it could not be restarted (readiness is not asked)', async () => {
    embedded = { status: 'failed', reason: '5 restart attempts failed within 10 minutes' };
    query = () => Promise.reject(new Error('must not be asked'));
    const live = await get('/health/live');
    expect(live.status).toBe(503);
    expect(live.body).toEqual({
      status: 'failed',
      reason: '5 restart attempts failed within 10 minutes',
    });
  });

  it('serves the metrics too', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
  });
});
