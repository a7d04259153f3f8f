import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app/create-app';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { Database } from '../../src/database/database';
import type { EventStore } from '../../src/event-store/event-store.port';
import { ManualClock, type Clock } from '../../src/shared/clock';
import { createTestDatabase, type TestDatabase } from './test-database';

/** API keys every e2e test can use: one per scope set. */
export const TEST_KEYS = {
  service: 'svc-secret-1',
  granter: 'grant-secret-1',
  admin: 'ops-secret-1',
  finance: 'fin-secret-1',
  readOnly: 'read-secret-1',
} as const;

export const TEST_API_KEYS = [
  `svc:${TEST_KEYS.service}:read|spend`,
  `granter:${TEST_KEYS.granter}:grant|read`,
  `ops:${TEST_KEYS.admin}:admin`,
  `fin:${TEST_KEYS.finance}:finance|read`,
  `reader:${TEST_KEYS.readOnly}:read`,
].join(',');

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  config: AppConfig;
  clock: Clock;
  http: HttpClient;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Share one database between several app instances; otherwise a fresh one is made and dropped. */
  database?: TestDatabase;
  eventStore?: EventStore;
}

/** A real Nest app listening on a loopback port, on a real PostgreSQL database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDatabase = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LEDGER_API_KEYS: TEST_API_KEYS,
    DATABASE_URL: testDatabase.connectionString,
    ...options.env,
  });
  const database = await Database.open({
    databaseUrl: testDatabase.connectionString,
    dataDir: '.',
    poolMax: 10,
    applicationName: 'ledger-e2e',
  });
  const clock = options.clock ?? new ManualClock('2026-03-01T12:00:00.000Z');
  const app = await createApp({ config, clock, database, eventStore: options.eventStore });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    config,
    clock,
    http: new HttpClient(baseUrl),
    close: async () => {
      await app.close();
      await database.close();
      if (!options.database) await testDatabase.drop();
    },
  };
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  key?: string | null;
  headers?: Record<string, string>;
  /** Sent as is (for malformed JSON); otherwise `body` is JSON-encoded. */
  rawBody?: string;
}

/** Real HTTP requests (fetch) with the service API key unless told otherwise. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  get<T = any>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.send('GET', path, undefined, options);
  }

  post<T = any>(
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    return this.send('POST', path, body, options);
  }

  async send<T>(
    method: string,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<HttpResponse<T>> {
    const key = options.key === undefined ? TEST_KEYS.service : options.key;
    const headers: Record<string, string> = { ...options.headers };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: contentType.includes('json') && text ? JSON.parse(text) : text,
    };
  }
}
