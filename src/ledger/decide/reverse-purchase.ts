import type { ReversePurchaseCommand } from '../commands';
import type { CreditBlock, LedgerState, PurchaseRecord } from '../state';
import { sumCredits } from '../block-amounts';
import { drawFrom } from '../drawdown';
import type { Situation } from './situation';
import { lookup } from '../keyed-records';
import { accept, type RulesOutcome, reject } from './rules-outcome';

/**
 * LEDGER.md "Reverse a purchase": money went back out, so its credits leave the account: first from
 * the purchase's own block, then from other available credits in drawdown order. What cannot be
 * removed (already spent or held) is the shortfall reported to finance; balance never goes below 0.
 * A purchase is never reversed for more than it bought: the request is capped at what is left to
 * reverse, and a reversal with nothing left to do (fully reversed, or a cumulative total already
 * reached) is accepted with nothing to write.
 */
export function decideReversePurchase(
  command: ReversePurchaseCommand,
  { state, view }: Situation,
): RulesOutcome {
  const purchase = purchaseByProviderRef(state, command.providerRef);
  if (!purchase) return reject({ code: 'not_found', entity: 'purchase', id: command.providerRef });
  // A cause is reversed once, and never once it was undone (a dispute won before it was opened here).
  if (command.reversalId !== undefined && lookup(state.extras.reversals, command.reversalId))
    return accept();
  const credits = creditsToReverse(command, purchase);
  if (credits <= 0) return accept();
  const removed = drawFrom(ownBlockFirst(view.blocks, purchase), credits);
  return accept({
    type: 'PurchaseReversed',
    data: {
      purchaseId: purchase.purchaseId,
      credits,
      removed,
      shortfall: credits - sumCredits(removed),
      reason: command.reason,
      providerRef: command.providerRef,
      ...(command.reversalId !== undefined && { reversalId: command.reversalId }),
    },
  });
}

/** What this reversal removes, capped so the purchase's reversals never exceed what it bought. */
function creditsToReverse(command: ReversePurchaseCommand, purchase: PurchaseRecord): number {
  if (command.totalCredits === undefined)
    return Math.min(purchase.reversed + command.credits, purchase.credits) - purchase.reversed;
  // A cumulative total counts the unnamed (refund) reversals only; what named ones (a dispute) took
  // already is not taken twice, and comes back into reach if that dispute is won.
  const namedReversed = purchase.reversed - purchase.reversedUnnamed;
  return (
    Math.min(command.totalCredits, purchase.credits - namedReversed) - purchase.reversedUnnamed
  );
}

export function purchaseByProviderRef(
  state: LedgerState,
  providerRef: string,
): PurchaseRecord | undefined {
  const purchaseId = lookup(state.extras.purchasesByProviderRef, providerRef);
  return purchaseId === undefined ? undefined : lookup(state.extras.purchases, purchaseId);
}

/** The view's blocks (live, in drawdown order) with the purchase's own block moved to the front. */
function ownBlockFirst(blocks: readonly CreditBlock[], purchase: PurchaseRecord): CreditBlock[] {
  const own = blocks.filter((block) => block.blockId === purchase.blockId);
  return [...own, ...blocks.filter((block) => block.blockId !== purchase.blockId)];
}
