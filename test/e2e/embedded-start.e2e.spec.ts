import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/load-config';
import { HttpClient } from '../support/test-app';

/** What `npm start` does with no DATABASE_URL: an embedded PostgreSQL per DATA_DIR. */
describe('embedded default', () => {
  const dataDirs = [
    mkdtempSync(join(tmpdir(), 'ledger-start-a-')),
    mkdtempSync(join(tmpdir(), 'ledger-start-b-')),
  ];
  afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function start(
    dataDir: string,
  ): Promise<{ app: NestFastifyApplication; http: HttpClient }> {
    const app = await createApp({
      config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    return {
      app,
      http: new HttpClient(
        `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      ),
    };
  }

  it('runs two instances side by side and keeps data across a restart', async () => {
    const first = await start(dataDirs[0]);
    const second = await start(dataDirs[1]);
    try {
      const grant = await first.http.post(
        '/v1/accounts/org:acme/grants',
        { credits: 100, category: 'promotional', reason: 'signup' },
        { key: null },
      );
      expect(grant.status).toBe(201);
      expect(
        (await second.http.get('/v1/accounts/org:acme/balance', { key: null })).body.balance,
      ).toBe(0);
    } finally {
      await first.app.close();
      await second.app.close();
    }
    const restarted = await start(dataDirs[0]);
    try {
      expect(
        (await restarted.http.get('/v1/accounts/org:acme/balance', { key: null })).body,
      ).toMatchObject({ balance: 100, revision: 0 });
    } finally {
      await restarted.app.close();
    }
  });
});
