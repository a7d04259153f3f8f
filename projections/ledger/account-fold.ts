import { NO_STREAM_REVISION } from '../../src/event-store/event-store.port';
import type { Money, BlockCategory } from '../../src/ledger/events';
import type { ProjectedEvent } from '../projection';
import { applyTotals, blockChanges, totalsChange, ZERO_TOTALS, type Totals } from './effects';

/** A row of account_balances, in memory. */
export interface AccountRow extends Totals {
  accountId: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** A row of credit_blocks, in memory. */
export interface BlockRow {
  accountId: string;
  blockId: string;
  category: BlockCategory;
  credits: number;
  remaining: number;
  grantedAt: string;
  expiresAt: string | null;
  expired: boolean;
  purchaseId: string | null;
  costBasis: Money | null;
  revision: number;
}

export function blockKey(accountId: string, blockId: string): string {
  return `${accountId}\u0000${blockId}`;
}

/** Why an event cannot be applied to the rows: a gap, a repeat, an unknown block. */
export class AccountFoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountFoldError';
  }
}

/**
 * Checks that `event` is the next one of its stream after `lastRevision` (NO_STREAM_REVISION:
 * none yet). The global log delivers a stream's events in revision order, each once; anything
 * else means the read model and the log disagree, and applying the batch would hide it.
 */
export function expectNextRevision(lastRevision: number, event: ProjectedEvent): void {
  if (event.revision === lastRevision + 1) return;
  const what =
    event.revision <= lastRevision ? 'already applied' : `a gap after revision ${lastRevision}`;
  throw new AccountFoldError(
    `credits-${event.accountId} revision ${event.revision} (event ${event.eventId}): ${what}`,
  );
}

/** The account row after `event` (pure). */
export function nextAccountRow(row: AccountRow | undefined, event: ProjectedEvent): AccountRow {
  expectNextRevision(row?.revision ?? NO_STREAM_REVISION, event);
  const occurredAt = event.event.metadata.occurredAt;
  const totals = applyTotals(row ?? ZERO_TOTALS, totalsChange(event.event));
  return {
    accountId: event.accountId,
    ...totals,
    revision: event.revision,
    createdAt: row?.createdAt ?? occurredAt,
    updatedAt: occurredAt,
  };
}

/**
 * Applies `event`'s block changes to `blocks` (keyed by blockKey), returning the keys it changed.
 * Mutates the map: the caller owns the working copies of one batch.
 */
export function applyBlockChanges(blocks: Map<string, BlockRow>, event: ProjectedEvent): string[] {
  const changed: string[] = [];
  for (const change of blockChanges(event.event)) {
    if (change.kind === 'open') {
      const key = blockKey(event.accountId, change.block.blockId);
      if (blocks.has(key))
        throw new AccountFoldError(
          `block ${change.block.blockId} of ${event.accountId} opened twice (event ${event.eventId})`,
        );
      blocks.set(key, {
        accountId: event.accountId,
        ...change.block,
        remaining: change.block.credits,
        expired: false,
        revision: event.revision,
      });
      changed.push(key);
      continue;
    }
    const key = blockKey(event.accountId, change.blockId);
    const block = blocks.get(key);
    if (!block)
      throw new AccountFoldError(
        `unknown block ${change.blockId} of ${event.accountId} (event ${event.eventId})`,
      );
    const delta = change.kind === 'expire' ? -change.credits : change.credits;
    if (block.remaining + delta < 0) {
      throw new AccountFoldError(
        `block ${change.blockId} of ${event.accountId} would hold ${block.remaining + delta} credits (event ${event.eventId})`,
      );
    }
    blocks.set(key, {
      ...block,
      remaining: block.remaining + delta,
      expired: block.expired || change.kind === 'expire',
      revision: event.revision,
    });
    changed.push(key);
  }
  return changed;
}
