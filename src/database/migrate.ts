import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPool } from './pool';
import { projectRoot } from './project-root';

export const MIGRATIONS_TABLE = 'pgmigrations';

/** PostgreSQL's undefined_table: a database no migration ever ran on. */
const UNDEFINED_TABLE = '42P01';

type MigrationRunner = typeof import('node-pg-migrate');

/**
 * Applies every pending migration in migrations/ (node-pg-migrate, SQL files). Several processes
 * starting at once wait on node-pg-migrate's advisory lock instead of failing.
 *
 * A database that already ran exactly these migrations, in this order, is left alone without
 * loading node-pg-migrate: it and what it loads are ≈ 5 MB of heap that every process would keep
 * for the rest of its life, and almost every start finds nothing to do. Anything else (a migration
 * missing, one more, another order) goes to the runner, which applies or refuses as it always did.
 */
export async function migrateToLatest(
  connectionString: string,
  log: (message: string) => void = () => undefined,
  dir: string = join(projectRoot(), 'migrations'),
): Promise<void> {
  if (await hasRunExactly(connectionString, plainSqlMigrationNames(dir))) {
    log('migrations: the database is up to date');
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runner } = require('node-pg-migrate') as MigrationRunner;
  await runner({
    databaseUrl: connectionString,
    dir,
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    advisoryLockMode: 'wait',
    log,
    verbose: false,
  });
}

/**
 * The names node-pg-migrate records for the files in `dir` (each file name without `.sql`), or null
 * when a file is anything else (another kind of migration, an up/down pair, a stray file): only the
 * runner knows what to make of those, so there is no shortcut then. Dot files are ignored, as the
 * runner ignores them.
 */
export function plainSqlMigrationNames(dir: string): string[] | null {
  const files = readdirSync(dir).filter((file) => !file.startsWith('.'));
  const plain = /^([^.]+)\.sql$/;
  const names = files.map((file) => plain.exec(file)?.[1] ?? null);
  return names.every((name) => name !== null) ? names : null;
}

/** True when the migrations run on the database are exactly `names` (a set: the runner keeps the order). */
async function hasRunExactly(
  connectionString: string,
  names: readonly string[] | null,
): Promise<boolean> {
  if (names === null) return false;
  const pool = createPool({ connectionString, max: 1, applicationName: 'credits-ledger-migrate' });
  try {
    const { rows } = await pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const expected = new Set(names);
    return rows.length === expected.size && rows.every((row) => expected.has(row.name));
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return false;
    throw error;
  } finally {
    await pool.end();
  }
}
