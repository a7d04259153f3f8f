import fc from 'fast-check';
import type { LedgerCommand } from '../../src/ledger';
import { upcomingInstants, type Account, type Command } from './reference-ledger';

/**
 * Random workloads for the property tests. An op is plain data (integers and choices) and is only
 * turned into a command when it runs, against the accounts as they are then: "refund spend #pick"
 * picks among the spends that exist at that point (or one that does not). fast-check shrinks ops,
 * so a failure comes back as a short list of readable steps.
 */
export const ACCOUNTS = ['acct-a', 'acct-b', 'org:c'] as const;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const START = Date.parse('2026-01-01T00:00:00.000Z');

type Keyed = { key: number | null };
export type Op =
  | ({
      op: 'grant';
      account: number;
      credits: number;
      category: 'paid' | 'promotional';
      expiresIn: number | null;
    } & Keyed)
  | ({
      op: 'purchase';
      account: number;
      credits: number;
      expiresIn: number | null;
      ref: number;
    } & Keyed)
  | ({ op: 'spend'; account: number; credits: number } & Keyed)
  | ({ op: 'refund'; account: number; pick: number; credits: number | null } & Keyed)
  | ({ op: 'reserve'; account: number; credits: number; ttlSeconds: number } & Keyed)
  | ({ op: 'capture'; account: number; pick: number; credits: number | null } & Keyed)
  | ({ op: 'release'; account: number; pick: number } & Keyed)
  | ({ op: 'reverse'; account: number; pick: number; amount: number; cumulative: boolean } & Keyed)
  | ({ op: 'expire'; account: number } & Keyed)
  | { op: 'advance'; ms: number }
  | { op: 'advanceTo'; account: number; pick: number; offset: -1 | 0 | 1 }
  | { op: 'replay'; account: number; pick: number };

const account = fc.integer({ min: 0, max: ACCOUNTS.length - 1 });
const credits = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 41, max: 150 }) },
);
const key = fc.option(fc.integer({ min: 0, max: 3 }), { freq: 3, nil: null });
/** Which earlier spend, hold or purchase: mostly one of the latest few (counted from the end), so repeats happen. */
const pick = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 2 }) },
  { weight: 2, arbitrary: fc.nat({ max: 50 }) },
);
/** Expiry from now: mostly a few hours ahead, sometimes never, sometimes already past (refused). */
const expiresIn = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 * HOUR }) },
  { weight: 1, arbitrary: fc.integer({ min: -HOUR, max: 0 }) },
);

export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('grant' as const),
      account,
      credits,
      category: fc.constantFrom('paid' as const, 'promotional' as const),
      expiresIn,
      key,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('purchase' as const),
      account,
      credits,
      expiresIn,
      ref: fc.nat({ max: 5 }),
      key,
    }),
  },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('spend' as const), account, credits, key }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('refund' as const),
      account,
      pick,
      credits: fc.option(credits, { freq: 2, nil: null }),
      key,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('reserve' as const),
      account,
      credits,
      ttlSeconds: fc.integer({ min: 1, max: 2 * 3600 }),
      key,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('capture' as const),
      account,
      pick,
      credits: fc.option(credits, { freq: 2, nil: null }),
      key,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('release' as const), account, pick, key }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('reverse' as const),
      account,
      pick,
      amount: fc.integer({ min: 1, max: 60 }),
      cumulative: fc.boolean(),
      key,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const), account, key }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 2 * MINUTE }), fc.integer({ min: 0, max: 3 * HOUR })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('advanceTo' as const),
      account,
      pick,
      offset: fc.constantFrom(-1 as const, 0 as const, 1 as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replay' as const), account, pick }) },
);

/** A command to run: which account, the model's and the domain's view of it, and its idempotency key. */
export interface Step {
  account: number;
  command: Command;
  ledgerCommand: LedgerCommand;
  key?: { key: string; hash: string };
}

/** The keyed commands each account accepted, so `replay` can send one again. */
export type SentWithKey = Step[][];

/** Fresh ids per run. */
export class Ids {
  private next = 0;
  fresh(prefix: string): string {
    this.next += 1;
    return `${prefix}-${this.next}`;
  }
}

/**
 * The step an op stands for, or null for a clock move or an op with nothing to act on. Clock moves
 * return the new instant through `moveClock`.
 */
export function stepFor(
  op: Op,
  accounts: readonly Account[],
  now: number,
  ids: Ids,
  sent: SentWithKey,
): Step | { moveTo: number } | null {
  switch (op.op) {
    case 'advance':
      return { moveTo: now + op.ms };
    case 'advanceTo': {
      const upcoming = upcomingInstants(accounts[op.account], now);
      if (upcoming.length === 0) return null;
      const target = upcoming[op.pick % upcoming.length] + op.offset;
      return target > now ? { moveTo: target } : null;
    }
    case 'replay': {
      const earlier = sent[op.account];
      return earlier.length === 0 ? null : earlier[op.pick % earlier.length];
    }
    default:
      return withKey(op, commandFor(op, accounts[op.account], now, ids));
  }
}

function withKey(op: Extract<Op, Keyed>, command: Command): Step {
  const step: Step = { account: op.account, command, ledgerCommand: toLedgerCommand(command) };
  if (op.key !== null) step.key = { key: `key-${op.key}`, hash: JSON.stringify(command) };
  return step;
}

function commandFor(op: Extract<Op, Keyed>, account: Account, now: number, ids: Ids): Command {
  const expiry = (expiresIn: number | null) =>
    expiresIn === null ? {} : { expiresAt: now + expiresIn };
  const oneOf = <T extends { id: string }>(list: readonly T[], index: number, missing: string) => {
    const fromEnd = index % (list.length + 1);
    return fromEnd === list.length ? missing : list[list.length - 1 - fromEnd].id;
  };
  switch (op.op) {
    case 'grant':
      return {
        kind: 'grant',
        blockId: ids.fresh('grant'),
        credits: op.credits,
        category: op.category,
        ...expiry(op.expiresIn),
      };
    case 'purchase': {
      // A reference the account has is mostly repeated with its figures (the same purchase again),
      // sometimes with others (a conflict).
      const providerRef = `pi_${op.ref}`;
      const earlier = account.purchases.find((purchase) => purchase.providerRef === providerRef);
      const credits = earlier && op.credits % 5 !== 0 ? earlier.credits : op.credits;
      return {
        kind: 'purchase',
        blockId: ids.fresh('paid'),
        purchaseId: ids.fresh('pur'),
        credits,
        providerRef,
        ...expiry(op.expiresIn),
      };
    }
    case 'spend':
      return { kind: 'spend', spendId: ids.fresh('spend'), credits: op.credits };
    case 'refund':
      return {
        kind: 'refund',
        refundId: ids.fresh('refund'),
        spendId: oneOf(account.spends, op.pick, 'spend-missing'),
        ...(op.credits !== null && { credits: op.credits }),
      };
    case 'reserve':
      return {
        kind: 'reserve',
        reservationId: ids.fresh('hold'),
        credits: op.credits,
        ttlSeconds: op.ttlSeconds,
      };
    case 'capture':
      return {
        kind: 'capture',
        reservationId: oneOf(account.holds, op.pick, 'hold-missing'),
        spendId: ids.fresh('capture'),
        ...(op.credits !== null && { credits: op.credits }),
      };
    case 'release':
      return { kind: 'release', reservationId: oneOf(account.holds, op.pick, 'hold-missing') };
    case 'reverse': {
      const providerRef =
        account.purchases.length === 0 || op.pick % 7 === 6
          ? 'pi_missing'
          : account.purchases[account.purchases.length - 1 - (op.pick % account.purchases.length)]
              .providerRef;
      return {
        kind: 'reverse',
        providerRef,
        ...(op.cumulative ? { totalCredits: op.amount } : { credits: op.amount }),
      };
    }
    case 'expire':
      return { kind: 'expire' };
  }
}

export function toLedgerCommand(command: Command): LedgerCommand {
  const iso = (ms: number | undefined) =>
    ms === undefined ? {} : { expiresAt: new Date(ms).toISOString() };
  switch (command.kind) {
    case 'grant':
      return {
        kind: 'grant',
        blockId: command.blockId,
        credits: command.credits,
        category: command.category,
        reason: 'promotion',
        ...iso(command.expiresAt),
      };
    case 'purchase':
      return {
        kind: 'purchase',
        blockId: command.blockId,
        purchaseId: command.purchaseId,
        credits: command.credits,
        amountPaid: { minor: command.credits * 10, currency: 'USD' },
        provider: 'stripe',
        providerRef: command.providerRef,
        ...iso(command.expiresAt),
      };
    case 'spend':
      return {
        kind: 'spend',
        spendId: command.spendId,
        credits: command.credits,
        description: 'usage',
      };
    case 'refund':
      return {
        kind: 'refund',
        refundId: command.refundId,
        spendId: command.spendId,
        reason: 'failed',
        ...(command.credits !== undefined && { credits: command.credits }),
      };
    case 'reserve':
      return {
        kind: 'reserve',
        reservationId: command.reservationId,
        credits: command.credits,
        ttlSeconds: command.ttlSeconds,
      };
    case 'capture':
      return {
        kind: 'capture',
        reservationId: command.reservationId,
        spendId: command.spendId,
        ...(command.credits !== undefined && { credits: command.credits }),
      };
    case 'release':
      return { kind: 'release', reservationId: command.reservationId };
    case 'expire':
      return { kind: 'expire' };
    case 'reverse':
      return command.totalCredits !== undefined
        ? {
            kind: 'reverse',
            providerRef: command.providerRef,
            reason: 'refund',
            totalCredits: command.totalCredits,
          }
        : {
            kind: 'reverse',
            providerRef: command.providerRef,
            reason: 'dispute',
            credits: command.credits!,
          };
  }
}
