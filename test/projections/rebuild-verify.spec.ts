import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config/load-config';
import { CLI_COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/run-cli';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import type { ManualClock } from '../../src/shared/clock';
import { PROJECTIONS } from '../../projections/registry';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { runLedgerWorkload } from './support/ledger-workload';
import { countRows, historyMatchesEvents, waitForCatchUp } from './support/projection-kit';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `ledger rebuild` and `ledger verify` (LEDGER.md invariant 6) after a randomized workload of
 * thousands of commands over hundreds of accounts, driven in-process through the command bus.
 */
describe('rebuild and verify', () => {
  let db: TestDatabase;
  let app: TestApp | null;
  let store: PostgresEventStore;

  async function cli(...argv: string[]): Promise<CliRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (chunk) => out.push(String(chunk)));
    stderr.on('data', (chunk) => err.push(String(chunk)));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.connectionString,
    });
    const code = await runCli(argv, config, CLI_COMMANDS, { stdout, stderr, interactive: false });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  beforeAll(async () => {
    db = await createTestDatabase({ poolMax: 10 });
    app = await startTestApp({ database: db }); // role all: the projectors run in the app
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    await app?.close();
    await db.drop();
  });

  it('reports no difference after a randomized workload, rebuilds (live and offline) to the same, and catches planted differences', async () => {
    const result = await runLedgerWorkload(app!.app, {
      accounts: 400,
      commands: 5000,
      seed: 20260301,
      clock: app!.clock as ManualClock,
      concurrency: 12,
    });
    expect(result.accepted).toBeGreaterThan(2500);
    const accounts = (
      await db.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM streams`)
    ).rows[0].count;
    expect(accounts).toBeGreaterThan(350);
    const types = await db.pool.query<{ type: string }>(`SELECT DISTINCT type FROM events`);
    expect(types.rows.map((row) => row.type).sort()).toEqual([
      'CreditsExpired',
      'CreditsGranted',
      'CreditsPurchased',
      'CreditsRefunded',
      'CreditsReserved',
      'CreditsSpent',
      'PurchaseReversed',
      'ReservationReleased',
    ]);
    await waitForCatchUp(db.pool, store, 30_000);

    // Live: the app's projectors (and its expiry worker, writing as the clock moved) keep running.
    const first = await cli('verify');
    expect(first.stdout).toMatch(
      new RegExp(
        `verify: ${accounts} accounts, [\\d,]+ events checked in [\\d.]+ s: no differences`,
      ),
    );
    expect(first.code).toBe(0);

    // Rebuild while the service's projector is active: it replays, the command follows its progress.
    const live = await cli('rebuild', 'transactions');
    expect(live.stderr).toBe('');
    expect(live.stdout).toContain('another projector is active');
    expect(live.stdout).toMatch(
      /rebuild transactions: replayed by the active projector, [\d,]+ events in [\d.]+ s \([\d,]+ events\/s\)/,
    );
    await waitForCatchUp(db.pool, store);
    expect((await cli('verify')).code).toBe(0);

    // Offline (no projector running): the command replays itself, every projection.
    await app!.close();
    app = null;
    const events = (await historyMatchesEvents(db.pool)).events;
    const offline = await cli('rebuild', '--batch-size=500');
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(
      new RegExp(
        `rebuild accounts: replayed, ${events.toLocaleString('en-US')} events in [\\d.]+ s \\([\\d,]+ events/s\\)`,
      ),
    );
    expect(offline.stdout).toMatch(
      new RegExp(`rebuild transactions: replayed, ${events.toLocaleString('en-US')} events in`),
    );
    expect(await historyMatchesEvents(db.pool)).toEqual({
      events,
      rows: events,
      missing: 0,
      duplicated: 0,
      broken: 0,
    });
    expect(await countRows(db.pool, 'account_balances')).toBe(accounts);
    const clean = await cli('verify');
    expect(clean.stdout).toContain('no differences');
    expect(clean.code).toBe(0);

    // Plant differences: a balance, a block, a lost history row, a row for an account with no stream.
    const victim = (
      await db.pool.query<{ account_id: string }>(
        `SELECT account_id FROM credit_transactions GROUP BY account_id HAVING count(*) > 3 ORDER BY account_id LIMIT 1`,
      )
    ).rows[0].account_id;
    await db.pool.query(
      `UPDATE account_balances SET balance = balance + 7, available = available + 7 WHERE account_id = $1`,
      [victim],
    );
    await db.pool.query(
      `UPDATE credit_blocks SET remaining = remaining + 1 WHERE (account_id, block_id) = (SELECT account_id, block_id FROM credit_blocks WHERE account_id = $1 LIMIT 1)`,
      [victim],
    );
    await db.pool.query(`DELETE FROM credit_transactions WHERE account_id = $1 AND revision = 1`, [
      victim,
    ]);
    await db.pool.query(
      `INSERT INTO account_balances (account_id, balance, available, reserved, revision, created_at, updated_at) VALUES ('ghost', 5, 5, 0, 0, now(), now())`,
    );
    const dirty = await cli('verify');
    expect(dirty.code).toBe(1);
    const lines = dirty.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^accounts  ${victim}  balance: read model \\d+, streams \\d+$`),
        ),
        expect.stringMatching(
          new RegExp(`^accounts  ${victim}  available: read model \\d+, streams \\d+$`),
        ),
        expect.stringMatching(
          new RegExp(`^accounts  ${victim}  block \\S+ remaining: read model \\d+, streams \\d+$`),
        ),
        expect.stringMatching(
          new RegExp(`^transactions  ${victim}  transaction count: read model \\d+, streams \\d+$`),
        ),
        expect.stringMatching(
          new RegExp(`^transactions  ${victim}  transaction revision 1: read model missing`),
        ),
        expect.stringMatching(
          /^accounts {2}ghost {2}account_balances row: read model .*no events up to the checkpoint$/,
        ),
      ]),
    );
    expect(lines.at(-1)).toMatch(
      new RegExp(`verify: ${accounts + 1} accounts, .*: 6 differences$`),
    );

    // And a rebuild repairs them.
    expect((await cli('rebuild')).code).toBe(0);
    expect((await cli('verify')).code).toBe(0);
    // Four projections replayed and verified several times over a 5,000-command workload: more
    // than jest's default minute on a busy 2-core machine.
  }, 240_000);

  it('refuses an unknown projection or option', async () => {
    const unknown = await cli('rebuild', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      `unknown projection nope; known: ${PROJECTIONS.map((projection) => projection.name).join(', ')}`,
    );
    expect((await cli('rebuild', '--batch-size=0')).code).toBe(2);
    expect((await cli('verify', 'extra')).code).toBe(2);
  });
});
