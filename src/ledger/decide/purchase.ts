import type { PurchaseCredits } from '../commands';
import type { LedgerState } from '../state';
import type { Situation } from './situation';
import { LedgerInvariantError } from '../errors';
import { lookup } from '../keyed-records';
import { accept, type CommandOutcome, reject } from './outcome';
import { canonicalExpiry, newBlockRejection } from './new-block';
import { assertUnusedId } from './fresh-id';

/** LEDGER.md "Purchase": a paid block, at most once per providerRef, ever. */
export function decidePurchase(command: PurchaseCredits, situation: Situation): CommandOutcome {
  const { state } = situation;
  const earlier = lookup(state.purchasesByProviderRef, command.providerRef);
  if (earlier !== undefined) return duplicateOf(state, earlier);
  assertUnusedId(state.purchases, command.purchaseId, 'purchase');
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

function duplicateOf(state: LedgerState, purchaseId: string): CommandOutcome {
  const purchase = lookup(state.purchases, purchaseId);
  if (!purchase) throw new LedgerInvariantError(`providerRef maps to unknown purchase ${purchaseId}`);
  return { kind: 'noop', reason: 'duplicate_purchase', purchaseId, blockId: purchase.blockId };
}
