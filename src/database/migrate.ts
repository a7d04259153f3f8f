import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import { projectRoot } from './project-root';

export const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Applies every pending migration in migrations/ (node-pg-migrate, SQL files). Several processes
 * starting at once wait on node-pg-migrate's advisory lock instead of failing.
 */
export async function migrateToLatest(
  connectionString: string,
  log: (message: string) => void = () => undefined,
): Promise<void> {
  await runner({
    databaseUrl: connectionString,
    dir: join(projectRoot(), 'migrations'),
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    advisoryLockMode: 'wait',
    log,
    verbose: false,
  });
}
