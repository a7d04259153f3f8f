import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import { LedgerRejectedError } from '../../../src/accounts/write-path/errors';
import { toAccountCommand } from '../../../src/accounts/commands';
import type { CallerContext } from '../../../src/accounts/write-path/caller-context';
import type { LedgerCommand } from '../../../src/ledger/commands';
import type { ManualClock } from '../../../src/shared/clock';

/** A small seeded PRNG (mulberry32), so a failing workload can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WorkloadOptions {
  accounts: number;
  commands: number;
  seed: number;
  /** Commands in flight at once (different accounts run in parallel, one account in order). */
  concurrency?: number;
  /** Moved forward as the workload runs, so blocks and holds expire (lazily, and by expire commands). */
  clock: ManualClock;
  accountPrefix?: string;
}

export interface WorkloadResult {
  accepted: number;
  rejected: number;
  accountIds: string[];
  /** The position of the last accepted write (for ?after= / waiting). */
  byKind: Record<string, number>;
}

interface AccountMemory {
  spends: string[];
  holds: string[];
  purchases: string[];
}

/**
 * A randomized mix of every command over many accounts, driven in-process through the command bus
 * (the same path as HTTP, minus HTTP). Rejections are expected (overdrafts, closed holds, …) and
 * counted; anything else fails the test.
 */
export async function runLedgerWorkload(
  app: INestApplicationContext,
  options: WorkloadOptions,
): Promise<WorkloadResult> {
  const bus = app.get(CommandBus);
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const prefix = options.accountPrefix ?? `load-${options.seed}`;
  const accountIds = Array.from({ length: options.accounts }, (_, index) => `${prefix}-${index}`);
  const memory = new Map<string, AccountMemory>(
    accountIds.map((id) => [id, { spends: [], holds: [], purchases: [] }]),
  );
  const result: WorkloadResult = { accepted: 0, rejected: 0, accountIds, byKind: {} };
  const context = (): CallerContext => ({
    correlationId: randomUUID(),
    actor: { kind: 'system', id: 'workload' },
  });

  const nextCommand = (accountId: string): LedgerCommand => {
    const mine = memory.get(accountId)!;
    const now = options.clock.now().getTime();
    const expiresAt = () =>
      random() < 0.3 ? new Date(now + between(2, 90) * 60_000).toISOString() : undefined;
    const roll = random();
    if (roll < 0.14 || (roll < 0.3 && mine.spends.length === 0)) {
      return {
        kind: 'grant',
        blockId: randomUUID(),
        credits: between(10, 400),
        category: random() < 0.5 ? 'paid' : 'promotional',
        reason: 'promotion',
        expiresAt: expiresAt(),
      };
    }
    if (roll < 0.22) {
      const providerRef =
        random() < 0.1 && mine.purchases.length > 0 ? pick(mine.purchases)! : `pi_${randomUUID()}`;
      return {
        kind: 'purchase',
        blockId: randomUUID(),
        purchaseId: randomUUID(),
        credits: between(50, 600),
        amountPaid: { minor: between(500, 5000), currency: 'USD' },
        provider: 'stripe',
        providerRef,
        expiresAt: expiresAt(),
      };
    }
    if (roll < 0.55) {
      return {
        kind: 'spend',
        spendId: randomUUID(),
        credits: between(1, 60),
        description: 'usage',
        reference: random() < 0.5 ? `job-${between(1, 999)}` : undefined,
      };
    }
    if (roll < 0.63 && mine.spends.length > 0) {
      return {
        kind: 'refund',
        refundId: randomUUID(),
        spendId: pick(mine.spends)!,
        credits: random() < 0.5 ? undefined : between(1, 20),
        reason: 'failed job',
      };
    }
    if (roll < 0.75) {
      return {
        kind: 'reserve',
        reservationId: randomUUID(),
        credits: between(1, 80),
        ttlSeconds: between(60, 1800),
      };
    }
    if (roll < 0.84 && mine.holds.length > 0) {
      return {
        kind: 'capture',
        reservationId: pick(mine.holds)!,
        spendId: randomUUID(),
        credits: random() < 0.5 ? undefined : between(1, 40),
      };
    }
    if (roll < 0.9 && mine.holds.length > 0) {
      return { kind: 'release', reservationId: pick(mine.holds)! };
    }
    if (roll < 0.95 && mine.purchases.length > 0) {
      return {
        kind: 'reverse',
        providerRef: pick(mine.purchases)!,
        credits: between(1, 300),
        reason: random() < 0.5 ? 'refund' : 'dispute',
      };
    }
    if (roll >= 0.97) return { kind: 'expire' };
    return { kind: 'spend', spendId: randomUUID(), credits: between(1, 30), description: 'usage' };
  };

  const remember = (accountId: string, command: LedgerCommand) => {
    const mine = memory.get(accountId)!;
    if (command.kind === 'spend') mine.spends.push(command.spendId);
    if (command.kind === 'capture') mine.spends.push(command.spendId);
    if (command.kind === 'capture' || command.kind === 'release')
      mine.holds = mine.holds.filter((id) => id !== command.reservationId);
    if (command.kind === 'reserve') mine.holds.push(command.reservationId);
    if (command.kind === 'purchase' && !mine.purchases.includes(command.providerRef))
      mine.purchases.push(command.providerRef);
  };

  let issued = 0;
  const worker = async () => {
    while (issued < options.commands) {
      issued += 1;
      if (issued % 150 === 0) options.clock.advance(between(1, 6) * 60_000);
      const accountId = pick(accountIds)!;
      const command = nextCommand(accountId);
      try {
        await bus.execute(toAccountCommand(accountId, command, context()));
        result.accepted += 1;
        result.byKind[command.kind] = (result.byKind[command.kind] ?? 0) + 1;
        remember(accountId, command);
      } catch (error) {
        if (!(error instanceof LedgerRejectedError)) throw error;
        result.rejected += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return result;
}
