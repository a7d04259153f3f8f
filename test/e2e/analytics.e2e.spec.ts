import { PassThrough } from 'node:stream';
import { CLI_COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/run-cli';
import { loadConfig } from '../../src/config/load-config';
import { ManualClock } from '../../src/shared/clock';
import { InMemoryRateCards, TEST_OPERATIONS, useRateCards } from '../support/rate-cards';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const finance = { key: TEST_KEYS.finance };
const DAY = 86_400_000;

const fields = (body: { errors?: { field: string }[] }) =>
  (body.errors ?? []).map((error) => error.field);

/**
 * GET /v1/analytics/usage and /purchases over HTTP on PostgreSQL (API.md "Reports",
 * docs/reports.md): the numbers, the previous period, the refusals, and — for random activity over
 * 60 days — equality with a model the test keeps of what it did, before and after a rebuild, with
 * `ledger verify` agreeing.
 */
describe('analytics', () => {
  let database: TestDatabase;
  let t: TestApp;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  let last = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      clock,
      database,
      env: { WORKER_INTERVAL_MS: '3600000', CONSISTENCY_TIMEOUT_MS: '15000' },
    });
    useRateCards(t.app, new InMemoryRateCards(TEST_OPERATIONS));
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  /** Every write remembers its position, so a read can wait for it (?after=). */
  const write = async (path: string, body: unknown, key: string = TEST_KEYS.service) => {
    const response = await t.http.post(path, body, { key });
    expect([200, 201]).toContain(response.status);
    last = response.body.position;
    return response.body;
  };
  const grant = (account: string, credits: number) =>
    write(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment' },
      TEST_KEYS.granter,
    );
  const spend = (account: string, body: Record<string, unknown>) =>
    write(`/v1/accounts/${account}/spends`, body);
  const refund = (account: string, spendId: string, credits: number) =>
    write(`/v1/accounts/${account}/refunds`, { spendId, credits, reason: 'failed' });
  const purchase = (account: string, body: Record<string, unknown>) =>
    write(`/v1/accounts/${account}/purchases`, body, TEST_KEYS.granter);
  const analytics = (what: 'usage' | 'purchases', query: string, key: string = TEST_KEYS.finance) =>
    t.http.get(`/v1/analytics/${what}?${query}&after=${encodeURIComponent(last)}`, { key });

  it('answers usage per day, operation and account, and purchases per day and pack, with the previous period', async () => {
    await grant('an-a1', 1000);
    await grant('an-a2', 1000);
    clock.set('2026-02-25T08:00:00.000Z');
    await spend('an-a1', { operation: 'stem-separation' }); // 10, in the previous period
    clock.set('2026-03-02T10:00:00.000Z');
    await spend('an-a1', { operation: 'stem-separation' }); // 10
    const video = await spend('an-a2', {
      operation: 'video-export',
      quantity: 61,
      dimensions: { resolution: '1080p' },
    }); // 2 minutes × 8 × 1.5 = 24
    expect(video.credits).toBe(24);
    await spend('an-a1', { credits: 5, description: 'plain' });
    await purchase('an-a1', {
      credits: 275,
      amountPaid: 2500,
      currency: 'USD',
      providerRef: 'an-pi-1',
      packId: 'standard',
    });
    await purchase('an-a2', {
      credits: 100,
      amountPaid: 900,
      currency: 'EUR',
      providerRef: 'an-wire-1',
    });
    clock.set('2026-03-03T23:59:59.000Z');
    await refund('an-a2', video.spendId, 4);

    const byDay = await analytics('usage', 'from=2026-03-01&to=2026-03-08&groupBy=day');
    expect(byDay.status).toBe(200);
    expect(byDay.body.period).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-08T00:00:00.000Z',
    });
    expect(byDay.body.previousPeriod).toEqual({
      from: '2026-02-22T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
    });
    expect(byDay.body.data.map((row: { day: string }) => row.day)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
    ]);
    const usage = (spent: number, spends: number, refunded = 0, refunds = 0) => ({
      credits: spent - refunded,
      spentCredits: spent,
      refundedCredits: refunded,
      spends,
      refunds,
    });
    expect(byDay.body.data[0]).toEqual({
      day: '2026-03-01',
      ...usage(0, 0),
      activeAccounts: 0,
      byOperation: [],
    });
    expect(byDay.body.data[1]).toEqual({
      day: '2026-03-02',
      ...usage(39, 3),
      activeAccounts: 2,
      byOperation: [
        { operationId: null, credits: 5, spends: 1 },
        { operationId: 'stem-separation', credits: 10, spends: 1 },
        { operationId: 'video-export', credits: 24, spends: 1 },
      ],
    });
    // A refund counts on its own day, for its spend's operation; it makes nobody active.
    expect(byDay.body.data[2]).toEqual({
      day: '2026-03-03',
      ...usage(0, 0, 4, 1),
      activeAccounts: 0,
      byOperation: [{ operationId: 'video-export', credits: -4, spends: 0 }],
    });
    expect(byDay.body.previous).toHaveLength(7);
    expect(byDay.body.previous[3]).toEqual({
      day: '2026-02-25',
      ...usage(10, 1),
      activeAccounts: 1,
      byOperation: [{ operationId: 'stem-separation', credits: 10, spends: 1 }],
    });

    const byOperation = await analytics('usage', 'from=2026-03-01&to=2026-03-08&groupBy=operation');
    expect(byOperation.body.data).toEqual([
      { operationId: 'video-export', ...usage(24, 1, 4, 1) },
      { operationId: 'stem-separation', ...usage(10, 1) },
      { operationId: null, ...usage(5, 1) },
    ]);
    expect(byOperation.body.previous).toEqual([
      { operationId: 'stem-separation', ...usage(10, 1) },
    ]);

    const byAccount = await analytics('usage', 'from=2026-03-01&to=2026-03-08&groupBy=account');
    expect(byAccount.body.data).toEqual([
      { accountId: 'an-a2', ...usage(24, 1, 4, 1) },
      { accountId: 'an-a1', ...usage(15, 2) },
    ]);
    const top = await analytics('usage', 'from=2026-03-01&to=2026-03-08&groupBy=account&limit=1');
    expect(top.body.data).toEqual([{ accountId: 'an-a2', ...usage(24, 1, 4, 1) }]);

    // Pool members are not on spends yet: no rows (docs/reports.md "Pool members").
    const byMember = await analytics('usage', 'from=2026-03-01&to=2026-03-08&groupBy=member');
    expect(byMember.status).toBe(200);
    expect(byMember.body.data).toEqual([]);

    // An instant is widened to its whole day.
    const instants = await analytics(
      'usage',
      'from=2026-03-02T15:00:00Z&to=2026-03-03T01:00:00%2B02:00&groupBy=operation',
    );
    expect(instants.body.period).toEqual({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
    });

    const purchasesByDay = await analytics(
      'purchases',
      'from=2026-03-01&to=2026-03-04&groupBy=day',
    );
    expect(purchasesByDay.status).toBe(200);
    const none = { purchases: 0, credits: 0, revenue: [], reversals: 0, reversedCredits: 0 };
    expect(purchasesByDay.body.data).toEqual([
      { day: '2026-03-01', ...none },
      {
        day: '2026-03-02',
        purchases: 2,
        credits: 375,
        revenue: [
          { currency: 'EUR', amountMinor: 900 },
          { currency: 'USD', amountMinor: 2500 },
        ],
        reversals: 0,
        reversedCredits: 0,
      },
      { day: '2026-03-03', ...none },
    ]);
    const byPack = await analytics('purchases', 'from=2026-03-01&to=2026-03-04&groupBy=pack');
    expect(byPack.body.data).toEqual([
      {
        packId: null,
        purchases: 1,
        credits: 100,
        revenue: [{ currency: 'EUR', amountMinor: 900 }],
        reversals: 0,
        reversedCredits: 0,
      },
      {
        packId: 'standard',
        purchases: 1,
        credits: 275,
        revenue: [{ currency: 'USD', amountMinor: 2500 }],
        reversals: 0,
        reversedCredits: 0,
      },
    ]);
    expect(byPack.body.previous).toEqual([]);

    // The day answers' JSON is written by SQL: the bytes are what JSON.stringify makes of the
    // answer with its keys in the documented order, under the content type of any JSON answer.
    const bytes = async (path: string) => {
      const response = await fetch(`${t.http.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${TEST_KEYS.finance}` },
      });
      return { type: response.headers.get('content-type'), text: await response.text() };
    };
    const dayRow = (row: Record<string, unknown>) => ({
      day: row.day,
      credits: row.credits,
      spentCredits: row.spentCredits,
      refundedCredits: row.refundedCredits,
      spends: row.spends,
      refunds: row.refunds,
      activeAccounts: row.activeAccounts,
      byOperation: (row.byOperation as Array<Record<string, unknown>>).map((operation) => ({
        operationId: operation.operationId,
        credits: operation.credits,
        spends: operation.spends,
      })),
    });
    const purchaseRow = (row: Record<string, unknown>) => ({
      day: row.day,
      purchases: row.purchases,
      credits: row.credits,
      revenue: (row.revenue as Array<Record<string, unknown>>).map((revenue) => ({
        currency: revenue.currency,
        amountMinor: revenue.amountMinor,
      })),
      reversals: row.reversals,
      reversedCredits: row.reversedCredits,
    });
    const inOrder = (
      body: Record<string, unknown>,
      row: (row: Record<string, unknown>) => Record<string, unknown>,
    ) =>
      JSON.stringify({
        groupBy: body.groupBy,
        period: body.period,
        previousPeriod: body.previousPeriod,
        data: (body.data as Array<Record<string, unknown>>).map(row),
        previous: (body.previous as Array<Record<string, unknown>>).map(row),
      });
    const usageBytes = await bytes('/v1/analytics/usage?from=2026-03-01&to=2026-03-08&groupBy=day');
    expect(usageBytes.type).toBe('application/json; charset=utf-8');
    expect(usageBytes.text).toBe(inOrder(byDay.body, dayRow));
    const purchaseBytes = await bytes(
      '/v1/analytics/purchases?from=2026-03-01&to=2026-03-04&groupBy=day',
    );
    expect(purchaseBytes.type).toBe('application/json; charset=utf-8');
    expect(purchaseBytes.text).toBe(inOrder(purchasesByDay.body, purchaseRow));
  });

  it('defaults to the last 30 days by day, and takes finance or admin keys only', async () => {
    clock.set('2026-03-10T12:00:00.000Z');
    const fallback = await t.http.get('/v1/analytics/usage', finance);
    expect(fallback.status).toBe(200);
    expect(fallback.body.groupBy).toBe('day');
    expect(fallback.body.period).toEqual({
      from: '2026-02-08T00:00:00.000Z',
      to: '2026-03-11T00:00:00.000Z',
    });
    expect(fallback.body.data).toHaveLength(31);
    expect((await t.http.get('/v1/analytics/purchases', { key: TEST_KEYS.admin })).status).toBe(
      200,
    );
    expect((await t.http.get('/v1/analytics/usage', { key: TEST_KEYS.readOnly })).status).toBe(403);
    expect((await t.http.get('/v1/analytics/purchases', { key: TEST_KEYS.service })).status).toBe(
      403,
    );
    expect((await t.http.get('/v1/analytics/usage', { key: null })).status).toBe(401);
  });

  it('refuses a bad period, groupBy or limit with 400 validation_failed naming the field', async () => {
    const refused = async (what: 'usage' | 'purchases', query: string) => {
      const response = await t.http.get(`/v1/analytics/${what}?${query}`, finance);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      return fields(response.body);
    };
    expect(await refused('usage', 'groupBy=week')).toEqual(['groupBy']);
    expect(await refused('purchases', 'groupBy=operation')).toEqual(['groupBy']);
    expect(await refused('usage', 'from=2024-01-01&to=2026-01-02')).toEqual(['to']);
    expect(await refused('usage', 'from=2020-01-01')).toEqual(['from']);
    expect(await refused('purchases', 'from=2026-03-05&to=2026-03-01')).toEqual(['to']);
    expect(await refused('usage', 'from=2026-02-30')).toEqual(['from']);
    expect(await refused('usage', 'to=tomorrow')).toEqual(['to']);
    expect(await refused('usage', 'groupBy=account&limit=0')).toEqual(['limit']);
    expect(await refused('usage', 'limit=1001')).toEqual(['limit']);
    expect(await refused('usage', 'after=nope')).toEqual(['after']);
    expect(await refused('usage', 'colour=blue')).toEqual(['colour']);
    // Exactly two years is allowed.
    const twoYears = await t.http.get(
      '/v1/analytics/usage?from=2024-01-01&to=2026-01-01&groupBy=operation',
      finance,
    );
    expect(twoYears.status).toBe(200);
  });

  it('equals what the test did over 60 days of random activity, before and after a rebuild, and ledger verify agrees', async () => {
    const accounts = Array.from({ length: 6 }, (_, index) => `rnd-${index}`);
    const start = Date.parse('2026-04-03T00:00:00.000Z');
    clock.set(new Date(start - DAY).toISOString());
    for (const account of accounts) await grant(account, 100_000);
    let seed = 20260403;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    type Usage = { spent: number; spends: number; refunded: number; refunds: number };
    const model = {
      day: new Map<string, Usage & { active: Set<string> }>(),
      operation: new Map<string, Usage>(),
      account: new Map<string, Usage>(),
      pack: new Map<string, { purchases: number; credits: number; revenue: number }>(),
    };
    const add = <V>(
      map: Map<string, V>,
      key: string,
      zero: () => V,
      change: (value: V) => void,
    ) => {
      const value = map.get(key) ?? zero();
      change(value);
      map.set(key, value);
    };
    const zeroUsage = (): Usage => ({ spent: 0, spends: 0, refunded: 0, refunds: 0 });
    const spends: Array<{ account: string; spendId: string; left: number; operation: string }> = [];
    let purchaseNo = 0;
    // April 8 to June 1: April partly (daily rows), May whole (its month's roll-up row).
    const subPeriod = { from: start + 5 * DAY, to: start + 59 * DAY };
    const subAccounts = new Map<string, number>();
    for (let day = 0; day < 60; day++) {
      const dayStart = start + day * DAY;
      const dayKey = new Date(dayStart).toISOString().slice(0, 10);
      const actions = Math.floor(random() * 6);
      for (let index = 0; index < actions; index++) {
        clock.set(new Date(dayStart + Math.floor(random() * (DAY - 1000))).toISOString());
        const account = pick(accounts);
        const roll = random();
        const inSub =
          clock.now().getTime() >= subPeriod.from && clock.now().getTime() < subPeriod.to;
        if (roll < 0.6) {
          const kind = pick(['stem-separation', 'video-export', 'plain']);
          const body =
            kind === 'plain'
              ? { credits: 1 + Math.floor(random() * 50), description: '=cmd' }
              : kind === 'video-export'
                ? {
                    operation: kind,
                    quantity: 1 + Math.floor(random() * 300),
                    dimensions: { resolution: '4k' },
                  }
                : { operation: kind };
          const spent = await spend(account, body);
          const operation = kind === 'plain' ? '' : kind;
          spends.push({ account, spendId: spent.spendId, left: spent.credits, operation });
          add(
            model.day,
            dayKey,
            () => ({ ...zeroUsage(), active: new Set<string>() }),
            (value) => {
              value.spent += spent.credits;
              value.spends += 1;
              value.active.add(account);
            },
          );
          add(model.operation, operation, zeroUsage, (value) => {
            value.spent += spent.credits;
            value.spends += 1;
          });
          add(model.account, account, zeroUsage, (value) => {
            value.spent += spent.credits;
            value.spends += 1;
          });
          if (inSub) subAccounts.set(account, (subAccounts.get(account) ?? 0) + spent.credits);
        } else if (roll < 0.8 && spends.some((s) => s.left > 0)) {
          const target = pick(spends.filter((s) => s.left > 0));
          const credits = 1 + Math.floor(random() * target.left);
          await refund(target.account, target.spendId, credits);
          target.left -= credits;
          add(
            model.day,
            dayKey,
            () => ({ ...zeroUsage(), active: new Set<string>() }),
            (value) => {
              value.refunded += credits;
              value.refunds += 1;
            },
          );
          add(model.operation, target.operation, zeroUsage, (value) => {
            value.refunded += credits;
            value.refunds += 1;
          });
          add(model.account, target.account, zeroUsage, (value) => {
            value.refunded += credits;
            value.refunds += 1;
          });
          if (inSub)
            subAccounts.set(target.account, (subAccounts.get(target.account) ?? 0) - credits);
        } else {
          const pack = pick(['basic', 'pro', '']);
          const credits = pack === 'basic' ? 100 : 600;
          const revenue = pack === 'basic' ? 1000 : 5000;
          await purchase(account, {
            credits,
            amountPaid: revenue,
            currency: 'USD',
            providerRef: `rnd-pi-${purchaseNo++}`,
            ...(pack ? { packId: pack } : {}),
          });
          add(
            model.pack,
            pack,
            () => ({ purchases: 0, credits: 0, revenue: 0 }),
            (value) => {
              value.purchases += 1;
              value.credits += credits;
              value.revenue += revenue;
            },
          );
        }
      }
    }
    const period = `from=${new Date(start).toISOString()}&to=${new Date(start + 60 * DAY).toISOString()}`;

    const check = async () => {
      const byDay = (await analytics('usage', `${period}&groupBy=day`)).body.data as Array<
        Record<string, any>
      >;
      expect(byDay).toHaveLength(60);
      for (const row of byDay) {
        const want = model.day.get(row.day) ?? { ...zeroUsage(), active: new Set() };
        expect([
          row.day,
          row.spentCredits,
          row.spends,
          row.refundedCredits,
          row.refunds,
          row.activeAccounts,
        ]).toEqual([
          row.day,
          want.spent,
          want.spends,
          want.refunded,
          want.refunds,
          want.active.size,
        ]);
      }
      const byOperation = (await analytics('usage', `${period}&groupBy=operation`)).body
        .data as Array<Record<string, any>>;
      expect(
        Object.fromEntries(
          byOperation.map((row) => [
            row.operationId ?? '',
            [row.spentCredits, row.spends, row.refundedCredits, row.refunds],
          ]),
        ),
      ).toEqual(
        Object.fromEntries(
          [...model.operation].map(([id, u]) => [id, [u.spent, u.spends, u.refunded, u.refunds]]),
        ),
      );
      const byAccount = (await analytics('usage', `${period}&groupBy=account`)).body.data as Array<
        Record<string, any>
      >;
      expect(
        Object.fromEntries(
          byAccount.map((row) => [row.accountId, [row.spentCredits, row.refundedCredits]]),
        ),
      ).toEqual(
        Object.fromEntries([...model.account].map(([id, u]) => [id, [u.spent, u.refunded]])),
      );
      // A whole quarter (April to June: its roll-up row), March (a month's) and days of February.
      const wide = (
        (await analytics('usage', 'from=2026-02-15&to=2026-07-01&groupBy=account')).body
          .data as Array<Record<string, any>>
      ).filter((row) => row.accountId.startsWith('rnd-'));
      expect(
        Object.fromEntries(
          wide.map((row) => [row.accountId, [row.spentCredits, row.refundedCredits]]),
        ),
      ).toEqual(
        Object.fromEntries([...model.account].map(([id, u]) => [id, [u.spent, u.refunded]])),
      );
      // A period of partial and whole months: a month's roll-up plus the daily rows at its edges.
      const sub = (
        await analytics(
          'usage',
          `from=${new Date(subPeriod.from).toISOString()}&to=${new Date(subPeriod.to).toISOString()}&groupBy=account`,
        )
      ).body.data as Array<Record<string, any>>;
      expect(Object.fromEntries(sub.map((row) => [row.accountId, row.credits]))).toEqual(
        Object.fromEntries(subAccounts),
      );
      const byPack = (await analytics('purchases', `${period}&groupBy=pack`)).body.data as Array<
        Record<string, any>
      >;
      expect(
        Object.fromEntries(
          byPack.map((row) => [
            row.packId ?? '',
            [row.purchases, row.credits, row.revenue[0]?.amountMinor ?? 0],
          ]),
        ),
      ).toEqual(
        Object.fromEntries(
          [...model.pack].map(([id, p]) => [id, [p.purchases, p.credits, p.revenue]]),
        ),
      );
    };
    await check();

    // ledger verify compares the analytics with a fresh fold; a planted difference is reported.
    const cli = async (...argv: string[]) => {
      const stdout = new PassThrough();
      const out: string[] = [];
      stdout.on('data', (chunk) => out.push(String(chunk)));
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: database.connectionString,
      });
      const code = await runCli(argv, config, CLI_COMMANDS, {
        stdout,
        stderr: new PassThrough(),
        interactive: false,
      });
      return { code, stdout: out.join('') };
    };
    const clean = await cli('verify');
    expect(clean.stdout).toContain('no differences');
    expect(clean.code).toBe(0);
    await database.pool.query(
      `UPDATE analytics_account_usage_daily SET spent_credits = spent_credits + 3 WHERE (day, account_id) = (SELECT day, account_id FROM analytics_account_usage_daily ORDER BY day, account_id LIMIT 1)`,
    );
    await database.pool.query(
      `UPDATE analytics_usage_daily SET spends = spends + 1 WHERE operation_id = 'video-export'`,
    );
    await database.pool.query(
      `UPDATE analytics_active_daily SET active_accounts = 99 WHERE day = (SELECT max(day) FROM analytics_active_daily)`,
    );
    await database.pool.query(
      `UPDATE analytics_usage_day_json SET json = replace(json, '"refunds":', '"refunds":7') WHERE day = (SELECT min(day) FROM analytics_usage_day_json)`,
    );
    await database.pool.query(
      `UPDATE analytics_purchases_day_json SET json = replace(json, '"credits":', '"credits":9') WHERE day = (SELECT max(day) FROM analytics_purchases_day_json)`,
    );
    const dirty = await cli('verify');
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(
      /^analytics {2}\S+ {2}usage by day \d{4}-\d{2}-\d{2} spentCredits: read model \d+, streams \d+$/m,
    );
    expect(dirty.stdout).toMatch(
      /^analytics {2}\* {2}usage by operation \S+\|video-export spends: read model \d+, streams \d+$/m,
    );
    expect(dirty.stdout).toMatch(
      /^analytics {2}\* {2}active accounts \d{4}-\d{2}-\d{2}: read model 99, streams \d+$/m,
    );
    expect(dirty.stdout).toMatch(
      /^analytics {2}\* {2}usage answer \d{4}-\d{2}-\d{2} refunds: read model 7\d*, streams \d+$/m,
    );
    expect(dirty.stdout).toMatch(
      /^analytics {2}\* {2}purchases answer \d{4}-\d{2}-\d{2} credits: read model 9\d*, streams \d+$/m,
    );

    // A rebuild (the app's projector follows it) repairs them, and the answers are the same.
    const rebuilt = await cli('rebuild', 'analytics');
    expect(rebuilt.code).toBe(0);
    expect((await cli('verify')).code).toBe(0);
    await check();
  });
});
