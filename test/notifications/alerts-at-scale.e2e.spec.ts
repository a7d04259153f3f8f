import { CommandBus } from '@nestjs/cqrs';
import { toAccountCommand } from '../../src/accounts/commands';
import { newId } from '../../src/shared/ids';
import { SystemClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from './support/receiver';

const ACCOUNTS = 1_000;
const SPENDS_PER_ACCOUNT = 10;
const GRANTED = 1_000;
const context = {
  correlationId: 'alerts-at-scale',
  actor: { kind: 'apiKey' as const, id: 'test' },
};
/** The worker would deliver what the reactor writes; this test reads the outbox itself. */
const NO_DELIVERY = { NOTIFICATIONS_POLL_MS: '60000', WORKER_INTERVAL_MS: '3600000' };

/** Spend sizes of account `index`: 10 spends that take it through the lines in varied ways. */
function spendsOf(index: number): number[] {
  const sizes: number[] = [];
  let left = GRANTED;
  for (let step = 0; step < SPENDS_PER_ACCOUNT; step += 1) {
    // Deterministic pseudo-random sizes; some accounts end at 0, most above it.
    const size = Math.min(
      left,
      ((index * 7919 + step * 104_729) % 180) + (index % 3 === 0 ? 40 : 1),
    );
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * An independent model of PRODUCT.md §5 for the defaults (100 credits; 20, 10, 5 % of the last
 * top-up, here the one grant of 1000; depleted at 0): a line fires when a spend takes available
 * from at or above it to below it.
 */
function expectedAlerts(index: number): string[] {
  const lines: Array<[string, number]> = [
    ['balance.low 100', 100],
    ['balance.low 20%', 200],
    ['balance.low 10%', 100],
    ['balance.low 5%', 50],
  ];
  const fired: string[] = [];
  let available = GRANTED;
  for (const size of spendsOf(index)) {
    const next = available - size;
    for (const [name, line] of lines) if (available >= line && next < line) fired.push(name);
    if (available > 0 && next === 0) fired.push('balance.depleted 0');
    available = next;
  }
  return fired;
}

describe('alerts at scale (10,000 spends on 1,000 accounts, real PostgreSQL)', () => {
  let database: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({ database, clock: new SystemClock(), env: NO_DELIVERY });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('writes exactly the expected alerts, once each', async () => {
    const endpoint = await t.http.post(
      '/v1/webhook-endpoints',
      { url: 'https://example.com/hooks', events: ['balance.low', 'balance.depleted'] },
      { key: TEST_KEYS.admin },
    );
    // example.com resolves to a public address: allowed without WEBHOOKS_ALLOW_PRIVATE_URLS. Where
    // the test machine has no DNS, the endpoint is written straight into the table instead.
    if (endpoint.status !== 201) {
      await database.pool.query(
        `INSERT INTO webhook_endpoints (id, url, events, secret, created_at)
         VALUES ('ep_scale', 'https://example.com/hooks', '{balance.low,balance.depleted}', 'whsec_AAAA', now())`,
      );
    }
    const bus = t.app.get(CommandBus);
    const accounts = Array.from({ length: ACCOUNTS }, (_, index) => `scale-${index}`);
    const started = Date.now();
    await Promise.all(
      accounts.map((accountId) =>
        bus.execute(
          toAccountCommand(
            accountId,
            {
              kind: 'grant',
              blockId: newId('block'),
              credits: GRANTED,
              category: 'paid',
              reason: 'adjustment',
            },
            context,
          ),
        ),
      ),
    );
    for (let step = 0; step < SPENDS_PER_ACCOUNT; step += 1) {
      await Promise.all(
        accounts.map((accountId, index) =>
          bus.execute(
            toAccountCommand(
              accountId,
              {
                kind: 'spend',
                spendId: newId('spend'),
                credits: spendsOf(index)[step],
                description: 'load',
              },
              context,
            ),
          ),
        ),
      );
    }
    const written = Date.now();
    await eventually(
      async () => {
        const { rows } = await database.pool.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM notification_accounts WHERE revision = $1`,
          [SPENDS_PER_ACCOUNT],
        );
        return rows[0].count === ACCOUNTS;
      },
      60_000,
      'the reactor to fold every spend',
    );
    const caughtUp = Date.now();

    const { rows } = await database.pool.query<{ account_id: string; type: string; body: string }>(
      `SELECT account_id, type, body FROM notification_messages WHERE type IN ('balance.low', 'balance.depleted')`,
    );
    const actual = new Map<string, string[]>();
    for (const row of rows) {
      const threshold = JSON.parse(row.body).data.threshold;
      const list = actual.get(row.account_id) ?? [];
      list.push(`${row.type} ${threshold}`);
      actual.set(row.account_id, list);
    }
    let expectedTotal = 0;
    const mismatches: string[] = [];
    accounts.forEach((accountId, index) => {
      const expected = expectedAlerts(index).sort();
      expectedTotal += expected.length;
      const got = (actual.get(accountId) ?? []).sort();
      if (JSON.stringify(got) !== JSON.stringify(expected))
        mismatches.push(`${accountId}: expected ${expected.join(', ')}; got ${got.join(', ')}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(rows).toHaveLength(expectedTotal);
    expect(expectedTotal).toBeGreaterThan(ACCOUNTS * 3);
    // One delivery per message for the one endpoint, none twice.
    const { rows: deliveries } = await database.pool.query<{ count: number; distinct: number }>(
      `SELECT count(*)::int AS count, count(DISTINCT message_id)::int AS distinct FROM webhook_deliveries`,
    );
    expect(deliveries[0]).toEqual({ count: expectedTotal, distinct: expectedTotal });
    console.log(
      `alerts at scale: ${ACCOUNTS * (SPENDS_PER_ACCOUNT + 1)} commands in ${written - started} ms, ` +
        `reactor caught up ${caughtUp - written} ms later, ${expectedTotal} alerts`,
    );
  }, 120_000);
});

describe('the first start on a ledger with a history', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('folds the old events silently and publishes only what happens after', async () => {
    // The ledger before notifications existed: an api-only process writes, no reactor runs.
    const before = await startTestApp({
      database,
      clock: new SystemClock(),
      env: { ROLE: 'api', WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' },
    });
    await before.http.post(
      '/v1/webhook-endpoints',
      {
        url: 'http://127.0.0.1:9/never',
        events: ['credits.granted', 'balance.low', 'balance.depleted'],
      },
      { key: TEST_KEYS.admin },
    );
    const granter = { key: TEST_KEYS.granter };
    await before.http.post(
      '/v1/accounts/old-timer/grants',
      { credits: 300, category: 'paid', reason: 'adjustment' },
      granter,
    );
    await before.http.post('/v1/accounts/old-timer/spends', { credits: 250, description: 'old' });
    await before.close();
    // What the migration records on a database that already had a ledger: "publish from now".
    await database.pool.query(`UPDATE notification_start SET published_from = now()`);

    const after = await startTestApp({
      database,
      clock: new SystemClock(),
      env: { ...NO_DELIVERY, WEBHOOKS_ALLOW_PRIVATE_URLS: 'true', PROJECTION_IDLE_POLL_MS: '20' },
    });
    try {
      await after.http.post('/v1/accounts/old-timer/spends', { credits: 50, description: 'new' });
      const types = await eventually(async () => {
        const { rows } = await database.pool.query<{ type: string; body: string }>(
          `SELECT type, body FROM notification_messages ORDER BY created_at`,
        );
        return rows.length >= 3 ? rows : null;
      });
      // Only the new spend's crossings (50 → 0: 10 % and 5 % of 300, and 0): the old grant and the
      // old crossings of 100 and 20 % were folded (available 50, last top-up 300) but not sent.
      const sent = types.map((row) => `${row.type} ${JSON.parse(row.body).data.threshold}`);
      expect(sent.sort()).toEqual(['balance.depleted 0', 'balance.low 10%', 'balance.low 5%']);
      const { rows: folded } = await database.pool.query(
        `SELECT available, last_top_up FROM notification_accounts WHERE account_id = 'old-timer'`,
      );
      expect(folded).toEqual([{ available: 0, last_top_up: 300 }]);
    } finally {
      await after.close();
    }
  });
});
