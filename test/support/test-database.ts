import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Pool } from 'pg';
import { migrateToLatest } from '../../src/database/migrate';
import { createPool } from '../../src/database/pool';

export interface TestDatabase {
  connectionString: string;
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh database on the suite's PostgreSQL (see global-setup.ts), migrated unless `migrate` is false. */
export async function createTestDatabase(
  options: { poolMax?: number; migrate?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl)
    throw new Error(
      'TEST_DATABASE_URL is not set: run the tests through jest (global-setup starts PostgreSQL)',
    );
  const name = `test_${randomUUID().replace(/-/g, '')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const connectionString = url.toString();
  if (options.migrate ?? true) await migrateToLatest(connectionString);
  const pool = createPool({
    connectionString,
    max: options.poolMax ?? 10,
    applicationName: 'ledger-test',
  });
  return {
    connectionString,
    pool,
    drop: async () => {
      await pool.end();
      await withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

async function withAdminClient<T>(
  serverUrl: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
