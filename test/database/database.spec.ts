import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/database/database';
import { createTestDatabase } from '../support/test-database';

describe('database', () => {
  it('migrates a fresh database to the event store schema', async () => {
    const db = await createTestDatabase();
    try {
      const tables = await db.pool.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['events', 'streams', 'pgmigrations']),
      );
    } finally {
      await db.drop();
    }
  });

  it('starts the embedded PostgreSQL in a data directory and keeps data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-embedded-'));
    try {
      const first = await Database.open({
        databaseUrl: null,
        dataDir,
        poolMax: 2,
        applicationName: 'test',
      });
      await first.pool.query(
        `INSERT INTO streams (stream_id, revision) VALUES ('credits-kept', 0)`,
      );
      await first.close();
      const second = await Database.open({
        databaseUrl: null,
        dataDir,
        poolMax: 2,
        applicationName: 'test',
      });
      const kept = await second.pool.query(
        `SELECT revision FROM streams WHERE stream_id = 'credits-kept'`,
      );
      await second.close();
      expect(kept.rows).toEqual([{ revision: 0 }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
