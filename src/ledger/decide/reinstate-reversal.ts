import type { ReinstateReversalCommand } from '../commands';
import type { Situation } from './situation';
import type { LedgerState, PurchaseRecord } from '../state';
import type { EventDraft } from '../event-draft';
import type { EpochMs } from '../instants';
import { sumCredits, takeLastDrawn } from '../block-amounts';
import { expireReturnedCredits } from '../expiry';
import { lookup } from '../keyed-records';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { purchaseByProviderRef } from './reverse-purchase';

/**
 * Undo the reversal `reversalId` (the money came back): exactly what it removed goes back to the
 * blocks it was removed from, so category, expiry and cost basis are those of the credits taken;
 * what lands in a block that has expired since is expired in the same append, as with a refund.
 * The shortfall is not given back (those credits were spent, not removed) but cancelled.
 * Exactly once, decided from the stream alone: an id already undone is accepted with nothing to
 * write, and an id not reversed yet is settled now (restoring nothing) so its reversal never applies.
 */
export function decideReinstateReversal(
  command: ReinstateReversalCommand,
  { state, nowMs }: Situation,
): RulesOutcome {
  const purchase = purchaseByProviderRef(state, command.providerRef);
  if (!purchase) return reject({ code: 'not_found', entity: 'purchase', id: command.providerRef });
  const reversal = lookup(state.extras.reversals, command.reversalId);
  if (reversal?.undone) return accept();
  if (command.toTotalCredits !== undefined) {
    // A refund reversed as part of a cumulative total (no reversal of its own): the total drops.
    if (reversal) return accept();
    // While a named reversal of the purchase stands (a dispute not won), it took everything the
    // refunds had not: giving a failed refund's share back now would credit money the dispute took.
    // Nothing is written, so the same command applies once that dispute is won (and never if lost).
    if (hasStandingNamedReversal(state, purchase.purchaseId)) return accept();
    return accept(...undoUnnamed(command, purchase, command.toTotalCredits, state, nowMs));
  }
  const restored = reversal
    ? reversal.removed.map(({ blockId, credits }) => ({ blockId, credits }))
    : [];
  return accept(
    {
      type: 'ReversalUndone',
      data: {
        reversalId: command.reversalId,
        // The reversal's own purchase (reversal ids are the provider's, unique across its payments).
        purchaseId: reversal?.purchaseId ?? purchase.purchaseId,
        credits: sumCredits(restored),
        restored,
        shortfallCancelled: reversal?.shortfall ?? 0,
        reason: command.reason,
        providerRef: command.providerRef,
      },
    },
    ...expireReturnedCredits(state, restored, nowMs),
  );
}

function undoUnnamed(
  command: ReinstateReversalCommand,
  purchase: PurchaseRecord,
  toTotalCredits: number,
  state: LedgerState,
  nowMs: EpochMs,
): EventDraft[] {
  const undoCredits = Math.max(0, purchase.reversedUnnamed - Math.max(0, toTotalCredits));
  // Never more than those reversals removed; the rest was shortfall (spent), now no longer owed.
  // Into the blocks they came from, the last removed first (like a refund of a spend).
  const back = Math.min(undoCredits, sumCredits(purchase.unnamedRemoved));
  const restored = back > 0 ? takeLastDrawn(purchase.unnamedRemoved, back) : [];
  return [
    {
      type: 'ReversalUndone',
      data: {
        reversalId: command.reversalId,
        purchaseId: purchase.purchaseId,
        credits: back,
        restored,
        shortfallCancelled: undoCredits - back,
        reason: command.reason,
        providerRef: command.providerRef,
      },
    },
    ...expireReturnedCredits(state, restored, nowMs),
  ];
}

function hasStandingNamedReversal(state: LedgerState, purchaseId: string): boolean {
  return Object.values(state.extras.reversals).some(
    (reversal) => reversal.purchaseId === purchaseId && !reversal.undone && reversal.credits > 0,
  );
}
