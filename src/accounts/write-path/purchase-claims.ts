import { ClaimHeldElsewhereError } from '../../event-store/event-store.port';
import { accountIdFromStream } from '../../ledger/limits';
import { purchaseRefClaim } from '../../ledger/purchase-ref';
import { giftCodeClaim } from '../../ledger/programs/gift-parts';

/**
 * The commands whose append claims something ledger-wide, with the event that carries the claim:
 * one list, read by the mailbox (one such command per batch) and by purchaseClaimOf.
 */
const CLAIMING_EVENT_OF_COMMAND: Readonly<Record<string, string>> = {
  purchase: 'CreditsPurchased',
  'redeem-gift-code': 'GiftCodeRedeemed',
};
const CLAIMING_EVENT_TYPES = new Set(Object.values(CLAIMING_EVENT_OF_COMMAND));

/** Whether a command of this kind claims something ledger-wide when appended. */
export function claimsLedgerWide(commandKind: string): boolean {
  return Object.hasOwn(CLAIMING_EVENT_OF_COMMAND, commandKind);
}

/**
 * The claim an append of these events makes (AppendOptions.claim): the reference of the purchase
 * among them, so that the event store lets one account, ever, record it (docs/architecture.md
 * "One payment, one purchase"), or the code of the gift redemption among them. The mailbox puts at
 * most one purchase or redemption in a batch (nextBatchLength).
 */
export function purchaseClaimOf(
  events: readonly { type: string; data: unknown }[],
): string | undefined {
  const claiming = events.filter((event) => CLAIMING_EVENT_TYPES.has(event.type));
  if (claiming.length > 1)
    throw new Error(
      `an append may carry one purchase or gift redemption, this one has ${claiming.length}`,
    );
  if (claiming.length === 0) return undefined;
  // A gift code is redeemed once ledger-wide the same way (src/ledger/programs/gift-parts.ts).
  if (claiming[0].type === 'GiftCodeRedeemed')
    return giftCodeClaim((claiming[0].data as { codeHash: string }).codeHash);
  const { provider, providerRef } = claiming[0].data as { provider: string; providerRef: string };
  return purchaseRefClaim(provider, providerRef);
}

/**
 * Notes that another account holds a purchase reference, for deciding again. A claim refused twice
 * means the decision ignored it: a bug, not a race, so it is thrown rather than retried forever.
 */
export function noteHeldElsewhere(
  heldElsewhere: Map<string, string>,
  refused: ClaimHeldElsewhereError,
): void {
  if (heldElsewhere.has(refused.claim)) throw refused;
  heldElsewhere.set(
    refused.claim,
    accountIdFromStream(refused.holderStreamId) ?? refused.holderStreamId,
  );
}
