import type { BlockAmount, LedgerEvent } from '../ledger/events';
import { isList } from './book';

/** One human line per event for the audit timeline: what moved, where, and why. */
export function summarize(event: LedgerEvent): string {
  switch (event.type) {
    case 'CreditsPurchased': {
      const { data } = event;
      return (
        `purchase ${data.purchaseId} (${data.provider} ${data.providerRef}${data.packId ? `, pack ${data.packId}` : ''}) ` +
        `paid ${data.amountPaid.minor} ${data.amountPaid.currency} minor units → block ${data.blockId}${expiry(data.expiresAt)}`
      );
    }
    case 'CreditsGranted': {
      const { data } = event;
      return `grant (${data.category}, ${data.reason}${data.description ? `: ${data.description}` : ''}) → block ${data.blockId}${expiry(data.expiresAt)}`;
    }
    case 'CreditsSpent': {
      const { data } = event;
      const hold = data.reservationId ? ` capturing ${data.reservationId}` : '';
      return `spend ${data.spendId}${hold} "${data.description}"${data.reference ? ` ref ${data.reference}` : ''} from ${parts(data.drawdown)}`;
    }
    case 'CreditsAdjusted': {
      const { data } = event;
      return `adjustment ${data.adjustmentId} (down) "${data.reason}"${data.description ? ` (${data.description})` : ''} from ${parts(data.drawdown)}`;
    }
    case 'CreditsRefunded': {
      const { data } = event;
      return `refund ${data.refundId} of spend ${data.spendId} "${data.reason}" → ${parts(data.returnedTo)}`;
    }
    case 'CreditsExpired':
      return `block ${event.data.blockId} expired`;
    case 'CreditsReserved': {
      const { data } = event;
      return `hold ${data.reservationId} of ${data.credits} until ${data.expiresAt}${data.description ? ` "${data.description}"` : ''} from ${parts(data.drawdown)}`;
    }
    case 'ReservationReleased': {
      const { data } = event;
      return `hold ${data.reservationId}: ${data.credits} released (${data.reason})${note(data.note)} → ${parts(data.returnedTo)}`;
    }
    case 'PurchaseReversed': {
      const { data } = event;
      return `purchase ${data.purchaseId} reversed (${data.reason}) for ${data.credits}: removed ${parts(data.removed) || 'nothing'}, shortfall ${data.shortfall}${data.reversalId ? ` [${data.reversalId}]` : ''}`;
    }
    case 'ReversalUndone': {
      const { data } = event;
      return `reversal ${data.reversalId} of purchase ${data.purchaseId} undone (${data.reason}): restored ${parts(data.restored) || 'nothing'}, shortfall cancelled ${data.shortfallCancelled}`;
    }
    case 'MemberSet': {
      const { limit } = event.data;
      return `member ${event.data.memberId} set, ${limit ? `limit ${limit.credits} per ${limit.period}` : 'no limit'}`;
    }
    case 'MemberRemoved':
      return `member ${event.data.memberId} removed`;
    case 'GiftCodesFunded': {
      const { data } = event;
      return `gift codes ${data.mintId} funded: ${data.count} × ${data.creditsPerCode} into escrow from ${parts(data.drawdown)}`;
    }
    case 'GiftCodeRedeemed': {
      const { data } = event;
      return `gift code ${data.codeHash.slice(0, 12)}… redeemed${data.fundedBy ? ` (funded by ${data.fundedBy})` : ''} → ${parts(data.blocks)}`;
    }
    case 'TransferSent': {
      const { data } = event;
      return `${data.purpose} ${data.transferId} of ${data.credits} to ${data.to} "${data.reason}"${note(data.note)} from ${parts(data.drawdown)}`;
    }
    case 'TransferReceived': {
      const { data } = event;
      return `${data.purpose} ${data.transferId} of ${data.credits} from ${data.from}${note(data.note)} → ${data.blocks.map((block) => `${block.blockId}:${block.credits} (${block.category}, from ${block.fromBlockId})`).join(', ')}`;
    }
    case 'TransferDeclined': {
      const { data } = event;
      return `transfer ${data.transferId} of ${data.credits} from ${data.from} declined (${data.reason})`;
    }
    case 'TransferReturned': {
      const { data } = event;
      return `transfer ${data.transferId} to ${data.to} returned (${data.reason}) → ${parts(data.returnedTo)}`;
    }
    case 'AccountClosed': {
      const { data } = event;
      return `closed: merged into ${data.into} (merge ${data.mergeId}, ${data.credits} credits moved)${note(data.note)}`;
    }
    case 'SubscriptionStarted':
    case 'SubscriptionRenewed': {
      const { data } = event;
      const rolled = data.rollover
        ? `, rolled over ${data.rollover.credits} of ${data.rollover.unusedCredits} unused`
        : '';
      return `subscription ${data.subscriptionId} ${event.type === 'SubscriptionStarted' ? 'started' : 'renewed'} on plan ${data.plan.planId} for ${data.periodStart}–${data.periodEnd} (invoice ${data.invoiceId}): ${data.credits} credits${rolled}`;
    }
    case 'SubscriptionPlanChanged': {
      const { data } = event;
      return `subscription ${data.subscriptionId} plan ${data.fromPlanId ?? '?'} → ${data.plan.planId} (${data.effective}): ${data.credits} credits now`;
    }
    case 'SubscriptionCanceled':
      return `subscription ${event.data.subscriptionId} canceled, ended ${event.data.endedAt}`;
    case 'AutoTopUpSucceeded':
      return `auto top-up ${event.data.paymentIntentId} (pack ${event.data.packId}) paid: purchase ${event.data.purchaseId}`;
    case 'AutoTopUpFailed': {
      const { data } = event;
      return `auto top-up ${data.paymentIntentId} (pack ${data.packId}) failed: ${data.reason} (${data.consecutiveFailures} in a row${data.disabled ? ', auto top-up turned off' : ''})`;
    }
  }
}

function parts(amounts: readonly BlockAmount[]): string {
  return isList(amounts)
    ? amounts.map((amount) => `${amount.blockId}:${amount.credits}`).join(', ')
    : '?';
}

function expiry(expiresAt: string | undefined): string {
  return expiresAt ? `, expires ${expiresAt}` : ', never expires';
}

/** An operator's reason (a release's or a merge's `note`), when one was recorded. */
function note(text: string | undefined): string {
  return text === undefined ? '' : ` note "${text}"`;
}
