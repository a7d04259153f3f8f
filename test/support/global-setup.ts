import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * One real PostgreSQL for the whole test run. Each test file makes its own database in it
 * (test/support/test-database.ts), so files run in parallel. Which one:
 * - TEST_DATABASE_URL: an existing server;
 * - TEST_DATABASE=container: a stock postgres:17 (TEST_POSTGRES_IMAGE) in Docker, with testcontainers;
 * - otherwise (TEST_DATABASE=embedded, the default): embedded-postgres, nothing to install.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const kind = process.env.TEST_DATABASE?.trim() || 'embedded';
  if (kind === 'container') {
    // Loaded here only: plain `npm test` never loads testcontainers or looks for Docker.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy; import() would need a .js path jest cannot resolve
    const { startPostgres } = require('./containers') as typeof import('./containers');
    const server = await startPostgres();
    process.env.TEST_DATABASE_URL = server.connectionString;
    process.stderr.write(`\n${server.image} started for the run (TEST_DATABASE=container)\n`);
    (globalThis as Record<string, unknown>).__LEDGER_TEST_PG_CONTAINER__ = server;
    return;
  }
  if (kind !== 'embedded')
    throw new Error(
      `TEST_DATABASE must be embedded (the default) or container, got ${JSON.stringify(kind)}`,
    );
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-test-pg-'));
  // In jest's process group: an interrupted run (Ctrl-C) takes the server down with it.
  const database = await startEmbeddedPostgres(dataDir, { ownProcessGroup: false });
  process.env.TEST_DATABASE_URL = database.connectionString;
  (globalThis as Record<string, unknown>).__LEDGER_TEST_PG__ = { database, dataDir };
}
