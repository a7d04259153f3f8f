import type { PurchaseCreditsCommand } from '../commands';
import type { PurchaseRecord } from '../state';
import type { Situation } from './situation';
import { LedgerInvariantError } from '../errors';
import { lookup } from '../keyed-records';
import { purchaseRefClaim, sameFigures } from '../purchase-ref';
import { accept, type RulesOutcome, reject } from './rules-outcome';
import { canonicalExpiry, newBlockRejection } from './new-block';
import { assertUnusedId } from './fresh-id';

/**
 * LEDGER.md "Purchase": a paid block, at most once per provider reference in the whole ledger.
 * A repeat on this account with the same figures is the first purchase again (a noop answered
 * with it); other figures, or a reference another account holds, are a purchase_conflict. Other
 * accounts are known only through `purchaseRefsHeldElsewhere`: the event store's claim on the
 * reference (docs/architecture.md "One payment, one purchase") is what makes it ledger-wide.
 */
export function decidePurchaseCredits(
  command: PurchaseCreditsCommand,
  situation: Situation,
): RulesOutcome {
  const { state } = situation;
  const earlierId = lookup(state.extras.purchasesByProviderRef, command.providerRef);
  if (earlierId !== undefined)
    return repeatOf(command, purchaseRecord(state.extras.purchases, earlierId));
  const heldByAccountId = situation.purchaseRefsHeldElsewhere?.get(
    purchaseRefClaim(command.provider, command.providerRef),
  );
  if (heldByAccountId !== undefined) return conflict(command, { heldByAccountId });
  assertUnusedId(state.extras.purchases, command.purchaseId, 'purchase');
  const rejection = newBlockRejection(situation, command);
  if (rejection) return reject(rejection);
  return accept({
    type: 'CreditsPurchased',
    data: {
      blockId: command.blockId,
      purchaseId: command.purchaseId,
      credits: command.credits,
      amountPaid: { minor: command.amountPaid.minor, currency: command.amountPaid.currency },
      ...(command.packId !== undefined && { packId: command.packId }),
      provider: command.provider,
      providerRef: command.providerRef,
      ...canonicalExpiry(command.expiresAt),
    },
  });
}

function repeatOf(command: PurchaseCreditsCommand, earlier: PurchaseRecord): RulesOutcome {
  if (!sameFigures(earlier, command)) return conflict(command, { purchaseId: earlier.purchaseId });
  const { purchaseId, blockId, revision, balance, available, reserved } = earlier;
  return {
    kind: 'noop',
    reason: 'duplicate_purchase',
    purchaseId,
    blockId,
    revision,
    balance,
    available,
    reserved,
  };
}

function conflict(
  command: PurchaseCreditsCommand,
  holder: { purchaseId: string } | { heldByAccountId: string },
): RulesOutcome {
  return reject({
    code: 'purchase_conflict',
    provider: command.provider,
    providerRef: command.providerRef,
    ...holder,
  });
}

function purchaseRecord(
  purchases: Record<string, PurchaseRecord>,
  purchaseId: string,
): PurchaseRecord {
  const purchase = lookup(purchases, purchaseId);
  if (!purchase)
    throw new LedgerInvariantError(`providerRef maps to unknown purchase ${purchaseId}`);
  return purchase;
}
