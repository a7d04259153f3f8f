import { CommandBus } from '@nestjs/cqrs';
import { toAccountCommand } from '../../src/accounts/commands';
import { accountIdFromStream } from '../../src/ledger/limits';
import { ManualClock } from '../../src/shared/clock';
import { InMemoryRateCards, TEST_OPERATIONS, useRateCards } from '../support/rate-cards';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const DAY = 86_400_000;
const START = Date.parse('2026-05-03T00:00:00.000Z');
const PERSONAL = ['fold-1', 'fold-2', 'fold-3', 'fold-4'];
const POOL = 'org:fold';
const MEMBERS = ['m-ann', 'm-bob', 'm-cy'];

/** One thing the streams say about usage or purchases, as this test reads the events. */
interface UsageFact {
  day: string;
  accountId: string;
  operationId: string | null;
  member: string | null;
  spent: number;
  spends: number;
  refunded: number;
  refunds: number;
}
interface PurchaseFact {
  day: string;
  packId: string | null;
  currency: string;
  purchases: number;
  credits: number;
  revenue: number;
  reversals: number;
  reversedCredits: number;
}

type Json = Record<string, any>;

/**
 * The "Done when" of issue 18: random activity over 60 days (spends by operation and of plain
 * amounts, pool members' spends, refunds, purchases with and without packs in two currencies,
 * reversals and reversals undone, several accounts), then EVERY analytics answer (usage by day,
 * operation, account, member; purchases by day, pack; each with its previous period; three
 * periods) equals a fold of the event streams written here from the definitions in
 * docs/reports.md — not with projections/analytics/effects.ts, which it checks.
 */
describe('analytics equal a fresh fold of the streams', () => {
  let database: TestDatabase;
  let t: TestApp;
  const clock = new ManualClock(new Date(START - DAY).toISOString());
  let last = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      clock,
      database,
      env: { WORKER_INTERVAL_MS: '3600000', CONSISTENCY_TIMEOUT_MS: '20000' },
    });
    useRateCards(t.app, new InMemoryRateCards(TEST_OPERATIONS));
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  const write = async (path: string, body: unknown, key: string = TEST_KEYS.service) => {
    const response = await t.http.post(path, body, { key });
    if (![200, 201].includes(response.status))
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    last = response.body.position;
    return response.body as Json;
  };

  it('for random activity over 60 days, every question, period and previous period', async () => {
    const admin = TEST_KEYS.admin;
    for (const account of [...PERSONAL, POOL])
      await write(
        `/v1/accounts/${account}/grants`,
        { credits: 1_000_000, category: 'paid', reason: 'adjustment' },
        TEST_KEYS.granter,
      );
    for (const member of MEMBERS) {
      const set = await t.http.send(
        'PUT',
        `/v1/accounts/${POOL}/members/${member}`,
        {},
        {
          key: admin,
        },
      );
      expect(set.status).toBe(200);
    }
    const commandBus = t.app.get(CommandBus);
    const context = {
      correlationId: 'analytics-fold',
      actor: { kind: 'stripe' as const, id: 'test' },
    };

    let seed = 18_2026;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const spends: Array<{ account: string; spendId: string; left: number }> = [];
    const purchases: Array<{ account: string; providerRef: string; credits: number }> = [];
    const reversed: Array<{ account: string; providerRef: string; reversalId: string }> = [];
    let counter = 0;
    let reversals = 0;
    let undone = 0;

    for (let day = 0; day < 60; day++) {
      const actions = Math.floor(random() * 7);
      for (let index = 0; index < actions; index++) {
        clock.set(new Date(START + day * DAY + Math.floor(random() * (DAY - 1000))).toISOString());
        const roll = random();
        if (roll < 0.5) {
          const pooled = random() < 0.3;
          const account = pooled ? POOL : pick(PERSONAL);
          const kind = pick(['stem-separation', 'video-export', 'plain'] as const);
          const body: Json =
            kind === 'plain'
              ? { credits: 1 + Math.floor(random() * 80), description: '=plain' }
              : kind === 'video-export'
                ? {
                    operation: kind,
                    quantity: 1 + Math.floor(random() * 400),
                    dimensions: { resolution: pick(['1080p', '4k']) },
                  }
                : { operation: kind };
          if (pooled) body.member = pick(MEMBERS);
          const spent = await write(`/v1/accounts/${account}/spends`, body);
          spends.push({ account, spendId: spent.spendId, left: spent.credits });
        } else if (roll < 0.65 && spends.some((spend) => spend.left > 0)) {
          const spend = pick(spends.filter((candidate) => candidate.left > 0));
          const credits = 1 + Math.floor(random() * spend.left);
          spend.left -= credits;
          await write(`/v1/accounts/${spend.account}/refunds`, {
            spendId: spend.spendId,
            credits,
            reason: 'failed',
          });
        } else if (roll < 0.87 || purchases.length === 0) {
          const account = pick([...PERSONAL, POOL]);
          const pack = pick(['basic', 'pro', null]);
          const credits = pack === 'pro' ? 600 : pack === 'basic' ? 100 : 40 + counter;
          const providerRef = `fold-pi-${counter++}`;
          await write(
            `/v1/accounts/${account}/purchases`,
            {
              credits,
              amountPaid: 500 + Math.floor(random() * 5000),
              currency: pick(['USD', 'EUR']),
              providerRef,
              ...(pack ? { packId: pack } : {}),
            },
            TEST_KEYS.granter,
          );
          purchases.push({ account, providerRef, credits });
        } else if (roll < 0.95 && purchases.length > 0) {
          // A Stripe refund or dispute, through the command the webhook sends.
          const purchase = purchases.splice(Math.floor(random() * purchases.length), 1)[0];
          const reversalId = `dispute:du_fold_${reversals++}`;
          const outcome = await commandBus.execute(
            toAccountCommand(
              purchase.account,
              {
                kind: 'reverse',
                providerRef: purchase.providerRef,
                reason: 'dispute',
                reversalId,
                credits: Math.min(purchase.credits, 1 + Math.floor(random() * purchase.credits)),
              },
              context,
            ),
          );
          last = outcome.position ?? last;
          reversed.push({ ...purchase, reversalId });
        } else if (reversed.length > 0) {
          // The dispute won: the reversal undone.
          const reversal = reversed.splice(Math.floor(random() * reversed.length), 1)[0];
          const outcome = await commandBus.execute(
            toAccountCommand(
              reversal.account,
              {
                kind: 'reinstate',
                providerRef: reversal.providerRef,
                reversalId: reversal.reversalId,
                reason: 'dispute',
              },
              context,
            ),
          );
          last = outcome.position ?? last;
          undone++;
        }
      }
    }
    // The activity is what the test means it to be.
    expect(spends.length).toBeGreaterThan(50);
    expect(reversals).toBeGreaterThan(2);
    expect(undone).toBeGreaterThan(0);
    clock.set(new Date(START + 61 * DAY).toISOString());

    const { usage, purchasesFacts } = await foldTheStreams(database);
    expect(usage.some((fact) => fact.member !== null)).toBe(true);
    expect(new Set(purchasesFacts.map((fact) => fact.currency))).toEqual(new Set(['USD', 'EUR']));

    const ask = async (what: string, query: string) => {
      const response = await t.http.get(
        `/v1/analytics/${what}?${query}&after=${encodeURIComponent(last)}`,
        { key: TEST_KEYS.finance },
      );
      expect(response.status).toBe(200);
      return response.body as {
        period: Json;
        previousPeriod: Json;
        data: Json[];
        previous: Json[];
      };
    };
    const iso = (ms: number) => new Date(ms).toISOString();
    // The whole 60 days (its previous period is empty), 31 days across a month's end (a month's
    // roll-up, days, and a previous period with activity), and 9 days.
    for (const [from, to] of [
      [START, START + 60 * DAY],
      [START + 17 * DAY, START + 48 * DAY],
      [START + 50 * DAY, START + 59 * DAY],
    ]) {
      const query = `from=${iso(from)}&to=${iso(to)}`;
      const periods = (answer: { period: Json; previousPeriod: Json }) => [
        [Date.parse(answer.period.from), Date.parse(answer.period.to)],
        [Date.parse(answer.previousPeriod.from), Date.parse(answer.previousPeriod.to)],
      ];
      for (const groupBy of ['day', 'operation', 'account', 'member'] as const) {
        const answer = await ask('usage', `${query}&groupBy=${groupBy}`);
        const [current, previous] = periods(answer);
        expect({ groupBy, query, data: answer.data }).toEqual({
          groupBy,
          query,
          data: expectedUsage(usage, groupBy, current[0], current[1]),
        });
        expect({ groupBy, query, previous: answer.previous }).toEqual({
          groupBy,
          query,
          previous: expectedUsage(usage, groupBy, previous[0], previous[1]),
        });
      }
      for (const groupBy of ['day', 'pack'] as const) {
        const answer = await ask('purchases', `${query}&groupBy=${groupBy}`);
        const [current, previous] = periods(answer);
        expect({ groupBy, query, data: answer.data }).toEqual({
          groupBy,
          query,
          data: expectedPurchases(purchasesFacts, groupBy, current[0], current[1]),
        });
        expect({ groupBy, query, previous: answer.previous }).toEqual({
          groupBy,
          query,
          previous: expectedPurchases(purchasesFacts, groupBy, previous[0], previous[1]),
        });
      }
    }
  }, 600_000);
});

/** Every event of every account stream, in the log's order, read as docs/reports.md defines. */
async function foldTheStreams(
  database: TestDatabase,
): Promise<{ usage: UsageFact[]; purchasesFacts: PurchaseFact[] }> {
  const { rows } = await database.pool.query<{
    stream_id: string;
    type: string;
    data: Json;
    metadata: Json;
  }>('SELECT stream_id, type, data, metadata FROM events ORDER BY global_position');
  const spends = new Map<string, { operationId: string | null; member: string | null }>();
  const purchases = new Map<string, { packId: string | null; currency: string }>();
  const reversalsById = new Map<string, number>();
  const usage: UsageFact[] = [];
  const purchasesFacts: PurchaseFact[] = [];
  for (const { stream_id: streamId, type, data, metadata } of rows) {
    const accountId = accountIdFromStream(streamId);
    if (accountId === null) continue;
    // A UTC day: occurredAt is an ISO-8601 instant in UTC.
    const day = (metadata.occurredAt as string).slice(0, 10);
    const none = { spent: 0, spends: 0, refunded: 0, refunds: 0 };
    const noPurchase = { purchases: 0, credits: 0, revenue: 0, reversals: 0, reversedCredits: 0 };
    if (type === 'CreditsSpent') {
      const spend = {
        operationId: (data.operation?.operationId as string | undefined) ?? null,
        member: (data.member as string | undefined) || null,
      };
      spends.set(`${accountId} ${data.spendId}`, spend);
      usage.push({ day, accountId, ...spend, ...none, spent: data.credits, spends: 1 });
    } else if (type === 'CreditsRefunded') {
      const spend = spends.get(`${accountId} ${data.spendId}`) ?? {
        operationId: null,
        member: null,
      };
      usage.push({ day, accountId, ...spend, ...none, refunded: data.credits, refunds: 1 });
    } else if (type === 'CreditsPurchased') {
      const purchase = {
        packId: (data.packId as string | undefined) ?? null,
        currency: data.amountPaid.currency,
      };
      purchases.set(`${accountId} ${data.purchaseId}`, purchase);
      purchasesFacts.push({
        day,
        ...purchase,
        ...noPurchase,
        purchases: 1,
        credits: data.credits,
        revenue: data.amountPaid.minor,
      });
    } else if (type === 'PurchaseReversed') {
      const purchase = purchases.get(`${accountId} ${data.purchaseId}`);
      if (!purchase) continue;
      if (data.reversalId) reversalsById.set(`${accountId} ${data.reversalId}`, data.credits);
      purchasesFacts.push({
        day,
        ...purchase,
        ...noPurchase,
        reversals: 1,
        reversedCredits: data.credits,
      });
    } else if (type === 'ReversalUndone') {
      // Takes back exactly what the reversal it undoes counted.
      const purchase = purchases.get(`${accountId} ${data.purchaseId}`);
      const credits = reversalsById.get(`${accountId} ${data.reversalId}`);
      if (!purchase || credits === undefined) continue;
      purchasesFacts.push({
        day,
        ...purchase,
        ...noPurchase,
        reversals: -1,
        reversedCredits: -credits,
      });
    }
  }
  return { usage, purchasesFacts };
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let at = from; at < to; at += DAY) days.push(dayOf(at));
  return days;
}

function totals(facts: UsageFact[]) {
  const spentCredits = facts.reduce((sum, fact) => sum + fact.spent, 0);
  const refundedCredits = facts.reduce((sum, fact) => sum + fact.refunded, 0);
  return {
    credits: spentCredits - refundedCredits,
    spentCredits,
    refundedCredits,
    spends: facts.reduce((sum, fact) => sum + fact.spends, 0),
    refunds: facts.reduce((sum, fact) => sum + fact.refunds, 0),
  };
}

function groups<F>(facts: F[], key: (fact: F) => string): Map<string, F[]> {
  const map = new Map<string, F[]>();
  for (const fact of facts) map.set(key(fact), [...(map.get(key(fact)) ?? []), fact]);
  return map;
}

/** Most used first, ties by id (byte order). */
function mostUsedFirst<R extends { credits: number }>(rows: R[], id: (row: R) => string): R[] {
  return rows.sort((a, b) => b.credits - a.credits || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

function expectedUsage(all: UsageFact[], groupBy: string, from: number, to: number): Json[] {
  const facts = all.filter((fact) => fact.day >= dayOf(from) && fact.day < dayOf(to));
  if (groupBy === 'day') {
    const byDay = groups(facts, (fact) => fact.day);
    return daysBetween(from, to).map((day) => {
      const ofDay = byDay.get(day) ?? [];
      const byOperation = [...groups(ofDay, (fact) => fact.operationId ?? '')]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([operationId, ofOperation]) => ({
          operationId: operationId === '' ? null : operationId,
          credits: totals(ofOperation).credits,
          spends: totals(ofOperation).spends,
        }));
      return {
        day,
        ...totals(ofDay),
        activeAccounts: new Set(
          ofDay.filter((fact) => fact.spends > 0).map((fact) => fact.accountId),
        ).size,
        byOperation,
      };
    });
  }
  if (groupBy === 'operation')
    return mostUsedFirst(
      [...groups(facts, (fact) => fact.operationId ?? '')].map(([operationId, ofOperation]) => ({
        operationId: operationId === '' ? null : operationId,
        ...totals(ofOperation),
      })),
      (row) => row.operationId ?? '',
    );
  if (groupBy === 'account')
    return mostUsedFirst(
      [...groups(facts, (fact) => fact.accountId)].map(([accountId, ofAccount]) => ({
        accountId,
        ...totals(ofAccount),
      })),
      (row) => row.accountId,
    );
  return mostUsedFirst(
    [
      ...groups(
        facts.filter((fact) => fact.member !== null),
        (fact) => `${fact.accountId}\u0000${fact.member}`,
      ),
    ].map(([, ofMember]) => ({
      accountId: ofMember[0].accountId,
      member: ofMember[0].member,
      ...totals(ofMember),
    })),
    (row) => `${row.accountId}\u0000${row.member}`,
  );
}

function purchaseAmounts(facts: PurchaseFact[]) {
  const sum = (pick: (fact: PurchaseFact) => number) =>
    facts.reduce((total, fact) => total + pick(fact), 0);
  const revenue = [...groups(facts, (fact) => fact.currency)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    // A currency is listed when something was bought in it (a reversal alone adds no revenue).
    .filter(([, ofCurrency]) => ofCurrency.some((fact) => fact.purchases > 0))
    .map(([currency, ofCurrency]) => ({
      currency,
      amountMinor: ofCurrency.reduce((total, fact) => total + fact.revenue, 0),
    }));
  return {
    purchases: sum((fact) => fact.purchases),
    credits: sum((fact) => fact.credits),
    revenue,
    reversals: sum((fact) => fact.reversals),
    reversedCredits: sum((fact) => fact.reversedCredits),
  };
}

function expectedPurchases(all: PurchaseFact[], groupBy: string, from: number, to: number): Json[] {
  const facts = all.filter((fact) => fact.day >= dayOf(from) && fact.day < dayOf(to));
  if (groupBy === 'day') {
    const byDay = groups(facts, (fact) => fact.day);
    return daysBetween(from, to).map((day) => ({ day, ...purchaseAmounts(byDay.get(day) ?? []) }));
  }
  return [...groups(facts, (fact) => fact.packId ?? '')]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([packId, ofPack]) => ({
      packId: packId === '' ? null : packId,
      ...purchaseAmounts(ofPack),
    }));
}
