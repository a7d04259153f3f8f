import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, plainSqlMigrationNames } from '../../src/database/migrate';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const UP_TO_DATE = 'migrations: the database is up to date';

describe('migrateToLatest', () => {
  let database: TestDatabase;
  let dir: string;
  const messages: string[] = [];
  const migrate = () => migrateToLatest(database.connectionString, (m) => messages.push(m), dir);
  const tables = async () =>
    (
      await database.pool.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name LIKE 'probe_%' ORDER BY 1`,
      )
    ).rows.map((row) => row.name);

  beforeEach(async () => {
    database = await createTestDatabase({ migrate: false, poolMax: 1 });
    dir = mkdtempSync(join(tmpdir(), 'ledger-migrations-'));
    messages.length = 0;
    writeFileSync(join(dir, '1000_first.sql'), 'CREATE TABLE probe_first (id int);');
    writeFileSync(join(dir, '2000_second.sql'), 'CREATE TABLE probe_second (id int);');
  });

  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every migration on a database none ran on, then finds nothing to do', async () => {
    await migrate();
    expect(await tables()).toEqual(['probe_first', 'probe_second']);
    expect(messages).not.toContain(UP_TO_DATE);

    await migrate();
    expect(messages).toContain(UP_TO_DATE);
  });

  it('runs a migration added since, and only that one', async () => {
    await migrate();
    writeFileSync(join(dir, '3000_third.sql'), 'CREATE TABLE probe_third (id int);');
    messages.length = 0;

    await migrate();

    expect(messages).not.toContain(UP_TO_DATE);
    expect(await tables()).toEqual(['probe_first', 'probe_second', 'probe_third']);
    const { rows } = await database.pool.query<{ name: string }>(
      'SELECT name FROM pgmigrations ORDER BY id',
    );
    expect(rows.map((row) => row.name)).toEqual(['1000_first', '2000_second', '3000_third']);
  });

  it('still refuses a migration added before one already run (the runner checks the order)', async () => {
    await migrate();
    writeFileSync(join(dir, '1500_between.sql'), 'CREATE TABLE probe_between (id int);');

    await expect(migrate()).rejects.toThrow(/1500_between/);
    expect(await tables()).toEqual(['probe_first', 'probe_second']);
  });

  it('hands a database that ran a migration these files lack to the runner', async () => {
    await migrate();
    rmSync(join(dir, '2000_second.sql'));
    messages.length = 0;

    await migrate();

    expect(messages).not.toContain(UP_TO_DATE);
  });

  it('leaves anything but plain .sql files to the runner', () => {
    expect(plainSqlMigrationNames(dir)).toEqual(['1000_first', '2000_second']);
    writeFileSync(join(dir, '.notes'), 'ignored, as the runner ignores it');
    expect(plainSqlMigrationNames(dir)).toEqual(['1000_first', '2000_second']);
    writeFileSync(join(dir, '3000_third.js'), 'exports.up = () => undefined;');
    expect(plainSqlMigrationNames(dir)).toBeNull();
  });
});
