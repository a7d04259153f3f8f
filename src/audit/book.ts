import type { BlockAmount, BlockCategory, BlockSource, LedgerEvent } from '../ledger/events';
import { sourceOfGrant } from '../ledger/blocks';
import { MAX_RESERVATION_TTL_SECONDS } from '../ledger/limits';
import type { AuditRule } from './audited-event';

/**
 * The audit's own book of an account, kept from the events alone with the rules of LEDGER.md and
 * deliberately independent of the domain's fold (src/ledger): the audit compares the two, so a
 * bug in one shows up as a disagreement instead of being trusted twice. Plain maps and running
 * totals; every check reports through `report` and the book carries on, so one audit lists every
 * problem of a stream rather than the first.
 */
export interface Lot {
  blockId: string;
  category: BlockCategory;
  /** Where its credits came from (purchase, grant, subscription, rollover, transfer, gift). */
  source: BlockSource;
  credits: number;
  remaining: number;
  grantedAtMs: number;
  expiresAtMs: number | null;
  /** A CreditsExpired was recorded for it. */
  expired: boolean;
}

export type HoldStatus = 'open' | 'captured' | 'released' | 'expired';

export interface Hold {
  reservationId: string;
  /** Credits still held. */
  credits: number;
  deadlineMs: number;
  /** Where the held credits came from, in the order drawn. */
  parts: BlockAmount[];
  status: HoldStatus;
  /** Revision of a partial capture still waiting for its remainder's release. */
  partlyCapturedAt: number | null;
}

interface SpendEntry {
  credits: number;
  refunded: number;
  /** What may still go back, per block, in the order drawn. */
  refundable: BlockAmount[];
}

interface PurchaseEntry {
  blockId: string;
  credits: number;
  reversed: number;
  /** Reversals without a reversalId (cumulative refunds): how much, and what they removed. */
  reversedUnnamed: number;
  unnamedRemoved: BlockAmount[];
}

/** A reversal that names its cause: what it removed may come back once (ReversalUndone). */
interface ReversalEntry {
  purchaseId: string;
  credits: number;
  removed: BlockAmount[];
  shortfall: number;
  undone: boolean;
}

/**
 * Credits out by what took them, so finance sees an admin's adjustment apart from usage: `spent`
 * counts spends (captures included) only, never an adjustment.
 */
export interface CreditsOutByKind {
  spent: number;
  adjusted: number;
  expired: number;
  reversed: number;
  giftEscrow: number;
  transferred: number;
}

export interface BookView {
  balance: number;
  available: number;
  reserved: number;
}

export type Report = (rule: AuditRule, message: string) => void;

const RELEASE_STATUS: Record<string, HoldStatus> = {
  released: 'released',
  expired: 'expired',
  captured_remainder: 'captured',
};

export class AuditBook {
  readonly lots = new Map<string, Lot>();
  readonly holds = new Map<string, Hold>();
  private readonly spends = new Map<string, SpendEntry>();
  private readonly purchases = new Map<string, PurchaseEntry>();
  private readonly reversals = new Map<string, ReversalEntry>();
  private readonly providerRefs = new Set<string>();
  private readonly refundIds = new Set<string>();
  /** Admin debits ("adjust down"): never spends, so never refundable. */
  private readonly adjustmentIds = new Set<string>();
  /** Gift codes redeemed into the account (SHA-256 of each). */
  private readonly giftCodes = new Set<string>();
  /** Transfers sent (what they drew, whether returned) and those that reached this account. */
  private readonly transfersOut = new Map<string, { drawdown: BlockAmount[]; returned: boolean }>();
  private readonly transfersIn = new Set<string>();
  private closed = false;
  /** Lots holding credits (or, after a broken event, owing some): the only ones drawdown looks at. */
  private readonly lotsWithCredits = new Set<string>();

  /** Credits in (purchases, grants, refunds, gifts) and out (spends, adjustments, expiries, reversals, gift escrow), as the events state them. */
  creditsIn = 0;
  creditsOut = 0;
  readonly out: CreditsOutByKind = {
    spent: 0,
    adjusted: 0,
    expired: 0,
    reversed: 0,
    giftEscrow: 0,
    transferred: 0,
  };
  /** Sum of the lots' remaining credits, moved block by block. */
  inLots = 0;
  /** Sum of the open holds' credits. */
  held = 0;
  /** Lots an event changed: the caller checks their bounds after it. */
  touched = new Set<string>();

  get totals(): BookView {
    return { balance: this.inLots + this.held, available: this.inLots, reserved: this.held };
  }

  /**
   * Balances at `atMs` as LEDGER.md defines them: blocks past their expiresAt count as gone
   * whether or not a CreditsExpired was written yet, and holds past their deadline count as given
   * back to their blocks (and lost with them when those are gone).
   */
  viewAt(atMs: number): BookView {
    const comingBack = new Map<string, number>();
    let reserved = 0;
    for (const hold of this.holds.values()) {
      if (hold.status !== 'open') continue;
      if (hold.deadlineMs > atMs) {
        reserved += hold.credits;
        continue;
      }
      for (const part of hold.parts)
        comingBack.set(part.blockId, (comingBack.get(part.blockId) ?? 0) + part.credits);
    }
    let available = 0;
    for (const lot of this.lots.values()) {
      if (isLive(lot, atMs)) available += lot.remaining + (comingBack.get(lot.blockId) ?? 0);
    }
    return { balance: available + reserved, available, reserved };
  }

  /**
   * Folds one event, checking it against the book as it stands, and returns its effect on the
   * balance as the event states it (+ credits in, − credits out).
   */
  apply(event: LedgerEvent, revision: number, report: Report): number {
    this.touched = new Set();
    const atMs = Date.parse(event.metadata.occurredAt);
    if (Number.isNaN(atMs))
      report(
        'invalid_instant',
        `occurredAt ${JSON.stringify(event.metadata.occurredAt)} is not an instant`,
      );
    const at = new Checks(report);
    switch (event.type) {
      case 'CreditsPurchased': {
        const { data } = event;
        at.positive('credits', data.credits);
        if (!Number.isSafeInteger(data.amountPaid?.minor) || data.amountPaid.minor < 0)
          report(
            'invalid_amount',
            `amountPaid ${JSON.stringify(data.amountPaid)} is not a whole amount in minor units`,
          );
        if (this.purchases.has(data.purchaseId))
          report('duplicate_id', `purchase ${data.purchaseId} recorded twice`);
        if (this.providerRefs.has(data.providerRef))
          report('duplicate_purchase', `providerRef ${data.providerRef} credited a second time`);
        this.providerRefs.add(data.providerRef);
        this.purchases.set(data.purchaseId, {
          blockId: data.blockId,
          credits: data.credits,
          reversed: 0,
          reversedUnnamed: 0,
          unnamedRemoved: [],
        });
        this.openLot(data.blockId, 'paid', 'purchase', data.credits, atMs, data.expiresAt, report);
        this.creditsIn += data.credits;
        return data.credits;
      }
      case 'CreditsGranted': {
        const { data } = event;
        at.positive('credits', data.credits);
        if (data.category !== 'paid' && data.category !== 'promotional')
          report('unreadable_event', `category ${JSON.stringify(data.category)}`);
        this.openLot(
          data.blockId,
          data.category,
          sourceOfGrant(data.reason),
          data.credits,
          atMs,
          data.expiresAt,
          report,
        );
        this.creditsIn += data.credits;
        return data.credits;
      }
      case 'CreditsSpent': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('drawdown', data.drawdown, data.credits);
        if (this.spends.has(data.spendId))
          report('duplicate_id', `spend ${data.spendId} recorded twice`);
        if (data.reservationId === undefined) {
          this.expectDrawdown(
            'spend',
            data.drawdown,
            this.liveLotsInOrder(atMs),
            data.credits,
            report,
          );
          this.takeFromLots(data.drawdown, atMs, report);
        } else {
          this.capture(data.reservationId, data.credits, data.drawdown, atMs, revision, report);
        }
        this.spends.set(data.spendId, {
          credits: data.credits,
          refunded: 0,
          refundable: copyParts(data.drawdown),
        });
        this.creditsOut += data.credits;
        this.out.spent += data.credits;
        return -data.credits;
      }
      case 'CreditsAdjusted': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('drawdown', data.drawdown, data.credits);
        recordOnce(this.adjustmentIds, data.adjustmentId, report, 'adjustment', 'recorded twice');
        this.expectDrawdown(
          'adjustment',
          data.drawdown,
          this.liveLotsInOrder(atMs),
          data.credits,
          report,
        );
        this.takeFromLots(data.drawdown, atMs, report);
        this.creditsOut += data.credits;
        this.out.adjusted += data.credits;
        return -data.credits;
      }
      case 'CreditsRefunded': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('returnedTo', data.returnedTo, data.credits);
        recordOnce(this.refundIds, data.refundId, report, 'refund', 'recorded twice');
        const spend = this.spends.get(data.spendId);
        if (!spend) {
          report(
            'unknown_reference',
            `refund of spend ${data.spendId}, which the stream never recorded`,
          );
        } else {
          const left = spend.credits - spend.refunded;
          if (data.credits > left)
            report(
              'refund_exceeds_spend',
              `refund of ${data.credits} credits; spend ${data.spendId} had ${left} left to refund`,
            );
          spend.refunded += data.credits;
          const rest = withoutParts(spend.refundable, data.returnedTo, 'last');
          if (rest.missing.length > 0)
            report(
              'refund_not_from_spend',
              `credits go back to ${describeParts(rest.missing)}, which spend ${data.spendId} did not take`,
            );
          spend.refundable = rest.left;
        }
        this.putIntoLots(data.returnedTo, report);
        this.creditsIn += data.credits;
        return data.credits;
      }
      case 'CreditsExpired': {
        const { data } = event;
        at.positive('credits', data.credits);
        const lot = this.lots.get(data.blockId);
        if (!lot) {
          report(
            'unknown_reference',
            `expiry of block ${data.blockId}, which the stream never created`,
          );
        } else {
          if (lot.expiresAtMs === null)
            report(
              'early_expiry',
              `block ${data.blockId} never expires, yet ${data.credits} credits of it expired`,
            );
          else if (lot.expiresAtMs > atMs)
            report(
              'early_expiry',
              `block ${data.blockId} expired at ${event.metadata.occurredAt}, before its expiresAt ${iso(lot.expiresAtMs)}`,
            );
          if (data.credits < lot.remaining)
            report(
              'partial_expiry',
              `block ${data.blockId} expired ${data.credits} of its ${lot.remaining} credits`,
            );
          lot.expired = true;
          this.move(lot, -data.credits);
        }
        this.creditsOut += data.credits;
        this.out.expired += data.credits;
        return -data.credits;
      }
      case 'CreditsReserved': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('drawdown', data.drawdown, data.credits);
        if (this.holds.has(data.reservationId))
          report('duplicate_id', `reservation ${data.reservationId} recorded twice`);
        const deadlineMs = Date.parse(data.expiresAt);
        if (
          Number.isNaN(deadlineMs) ||
          deadlineMs <= atMs ||
          deadlineMs > atMs + MAX_RESERVATION_TTL_SECONDS * 1000
        ) {
          report(
            'hold_deadline',
            `hold ${data.reservationId} taken at ${event.metadata.occurredAt} with deadline ${data.expiresAt} (must be later, by at most ${MAX_RESERVATION_TTL_SECONDS} s)`,
          );
        }
        this.expectDrawdown(
          'reservation',
          data.drawdown,
          this.liveLotsInOrder(atMs),
          data.credits,
          report,
        );
        this.takeFromLots(data.drawdown, atMs, report);
        this.holds.set(data.reservationId, {
          reservationId: data.reservationId,
          credits: data.credits,
          deadlineMs,
          parts: copyParts(data.drawdown),
          status: 'open',
          partlyCapturedAt: null,
        });
        this.held += data.credits;
        return 0;
      }
      case 'ReservationReleased': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('returnedTo', data.returnedTo, data.credits);
        this.release(
          data.reservationId,
          data.credits,
          data.reason,
          data.returnedTo,
          atMs,
          revision,
          report,
        );
        return 0;
      }
      case 'PurchaseReversed': {
        const { data } = event;
        at.positive('credits', data.credits);
        const removed = sumParts(data.removed);
        for (const part of data.removed) at.positive(`removed ${part.blockId}`, part.credits);
        if (data.shortfall !== data.credits - removed || data.shortfall < 0) {
          report(
            'reversal_shortfall',
            `reversal of ${data.credits} credits removed ${removed} and reports a shortfall of ${data.shortfall}`,
          );
        }
        const purchase = this.purchases.get(data.purchaseId);
        if (!purchase) {
          report(
            'unknown_reference',
            `reversal of purchase ${data.purchaseId}, which the stream never recorded`,
          );
        } else {
          if (purchase.reversed + data.credits > purchase.credits) {
            report(
              'reversal_exceeds_purchase',
              `purchase ${data.purchaseId} of ${purchase.credits} credits reversed for ${purchase.reversed + data.credits} in all`,
            );
          }
          purchase.reversed += data.credits;
          const live = this.liveLotsInOrder(atMs);
          const ownFirst = [
            ...live.filter((lot) => lot.blockId === purchase.blockId),
            ...live.filter((lot) => lot.blockId !== purchase.blockId),
          ];
          this.expectDrawdown('reversal', data.removed, ownFirst, data.credits, report);
        }
        if (data.reversalId === undefined && purchase) {
          purchase.reversedUnnamed += data.credits;
          purchase.unnamedRemoved.push(...copyParts(data.removed));
        }
        if (data.reversalId !== undefined) {
          if (this.reversals.has(data.reversalId))
            report(
              'duplicate_id',
              `reversal ${data.reversalId} recorded after it was reversed or undone`,
            );
          else
            this.reversals.set(data.reversalId, {
              purchaseId: data.purchaseId,
              credits: data.credits,
              removed: copyParts(data.removed),
              shortfall: data.shortfall,
              undone: false,
            });
        }
        this.takeFromLots(data.removed, atMs, report);
        this.creditsOut += removed;
        this.out.reversed += removed;
        return -removed;
      }
      case 'ReversalUndone': {
        const { data } = event;
        const restored = sumParts(data.restored);
        for (const part of data.restored) at.positive(`restored ${part.blockId}`, part.credits);
        if (data.credits !== restored)
          report(
            'reinstatement_mismatch',
            `reinstatement of ${data.reversalId} states ${data.credits} credits and restores ${restored}`,
          );
        const reversal = this.reversals.get(data.reversalId);
        const purchase = this.purchases.get(data.purchaseId);
        if (!purchase)
          report(
            'unknown_reference',
            `reinstatement for purchase ${data.purchaseId}, which the stream never recorded`,
          );
        if (reversal?.undone) {
          report('duplicate_id', `reversal ${data.reversalId} undone twice`);
        } else if (reversal) {
          // Exactly what the reversal removed, into the same blocks; never more.
          const rest = withoutParts(reversal.removed, data.restored, 'first');
          if (rest.missing.length > 0 || sumParts(rest.left) > 0) {
            report(
              'reinstatement_mismatch',
              `reinstatement of ${data.reversalId} restores ${describeParts(data.restored)}, the reversal removed ${describeParts(reversal.removed)}`,
            );
          }
          if (data.shortfallCancelled !== reversal.shortfall)
            report(
              'reinstatement_mismatch',
              `reinstatement of ${data.reversalId} cancels a shortfall of ${data.shortfallCancelled}, the reversal had ${reversal.shortfall}`,
            );
          reversal.undone = true;
          if (purchase) purchase.reversed -= reversal.credits;
        } else {
          // A refund that failed, undoing part of the cumulative reversals: from what they removed only.
          const undoneCredits = data.credits + data.shortfallCancelled;
          if (purchase) {
            const rest = withoutParts(purchase.unnamedRemoved, data.restored, 'last');
            if (rest.missing.length > 0 || undoneCredits > purchase.reversedUnnamed) {
              report(
                'reinstatement_mismatch',
                `reinstatement of ${data.reversalId} restores ${describeParts(data.restored)} (${undoneCredits} credits undone); the refunds reversed ${purchase.reversedUnnamed}, removing ${describeParts(purchase.unnamedRemoved)}`,
              );
            }
            purchase.unnamedRemoved = rest.left;
            purchase.reversedUnnamed -= undoneCredits;
            purchase.reversed -= undoneCredits;
          }
          this.reversals.set(data.reversalId, {
            purchaseId: data.purchaseId,
            credits: 0,
            removed: [],
            shortfall: 0,
            undone: true,
          });
        }
        this.putIntoLots(data.restored, report);
        this.creditsIn += restored;
        return restored;
      }
      case 'MemberSet':
      case 'MemberRemoved':
        // Pool membership moves no credits; the limits are the domain's to enforce.
        if (typeof event.data.memberId !== 'string' || event.data.memberId === '')
          report('unreadable_event', `${event.type} without a memberId`);
        return 0;
      case 'GiftCodesFunded': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('drawdown', data.drawdown, data.credits);
        if (data.credits !== data.count * data.creditsPerCode)
          report(
            'invalid_amount',
            `gift escrow of ${data.credits} credits for ${data.count} codes of ${data.creditsPerCode}`,
          );
        for (const part of data.drawdown) {
          const lot = this.lots.get(part.blockId);
          if (
            lot &&
            (lot.category !== part.category || lot.expiresAtMs !== instantOrNull(part.expiresAt))
          )
            report(
              'amounts_disagree',
              `gift escrow records block ${part.blockId} as ${part.category}, expiring ${part.expiresAt ?? 'never'}; the block is ${lot.category}, expiring ${lot.expiresAtMs === null ? 'never' : iso(lot.expiresAtMs)}`,
            );
        }
        this.expectDrawdown(
          'gift escrow',
          data.drawdown,
          this.liveLotsInOrder(atMs),
          data.credits,
          report,
        );
        this.takeFromLots(data.drawdown, atMs, report);
        this.creditsOut += data.credits;
        this.out.giftEscrow += data.credits;
        return -data.credits;
      }
      case 'GiftCodeRedeemed': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('blocks', data.blocks, data.credits);
        recordOnce(this.giftCodes, data.codeHash, report, 'gift code', 'redeemed twice');
        for (const block of data.blocks)
          this.openLot(
            block.blockId,
            block.category,
            'gift',
            block.credits,
            atMs,
            block.expiresAt,
            report,
          );
        this.creditsIn += data.credits;
        return data.credits;
      }
      case 'TransferSent': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('drawdown', data.drawdown, data.credits);
        if (this.transfersOut.has(data.transferId))
          report('duplicate_id', `transfer ${data.transferId} sent twice`);
        this.expectDrawdown(
          'transfer',
          data.drawdown,
          this.liveLotsInOrder(atMs),
          data.credits,
          report,
        );
        this.takeFromLots(data.drawdown, atMs, report);
        this.transfersOut.set(data.transferId, {
          drawdown: copyParts(data.drawdown),
          returned: false,
        });
        this.creditsOut += data.credits;
        this.out.transferred += data.credits;
        return -data.credits;
      }
      case 'TransferReceived': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('blocks', data.blocks, data.credits);
        recordOnce(this.transfersIn, data.transferId, report, 'transfer', 'received twice');
        // A block may arrive past its time (it expired on the way): expired in the same append.
        for (const block of data.blocks)
          this.openLot(
            block.blockId,
            block.category,
            'transfer',
            block.credits,
            atMs,
            block.expiresAt,
            report,
            true,
          );
        this.creditsIn += data.credits;
        return data.credits;
      }
      case 'TransferDeclined': {
        recordOnce(this.transfersIn, event.data.transferId, report, 'transfer', 'decided twice');
        return 0;
      }
      case 'TransferReturned': {
        const { data } = event;
        at.positive('credits', data.credits);
        at.parts('returnedTo', data.returnedTo, data.credits);
        const sent = this.transfersOut.get(data.transferId);
        if (!sent) {
          report('unknown_reference', `return of transfer ${data.transferId}, never sent`);
        } else {
          if (sent.returned) report('duplicate_id', `transfer ${data.transferId} returned twice`);
          const rest = withoutParts(sent.drawdown, data.returnedTo, 'last');
          if (rest.missing.length > 0 || sumParts(rest.left) > 0)
            report(
              'refund_not_from_spend',
              `transfer ${data.transferId} returns ${describeParts(data.returnedTo)}, it drew ${describeParts(sent.drawdown)}`,
            );
          sent.returned = true;
        }
        this.putIntoLots(data.returnedTo, report);
        this.creditsIn += data.credits;
        return data.credits;
      }
      case 'AccountClosed': {
        if (this.closed)
          report('duplicate_id', `account closed twice (merge ${event.data.mergeId})`);
        this.closed = true;
        return 0;
      }
      // Facts with no credits of their own: the grants and purchases beside them move the credits.
      case 'SubscriptionStarted':
      case 'SubscriptionRenewed':
      case 'SubscriptionPlanChanged':
      case 'SubscriptionCanceled':
      case 'AutoTopUpSucceeded':
      case 'AutoTopUpFailed':
        return 0;
      default: {
        const unknown: never = event;
        report('unreadable_event', `cannot audit event type ${(unknown as { type: string }).type}`);
        return 0;
      }
    }
  }

  /**
   * What must hold once a whole append is written at `atMs`: lazy expiry ran before the command,
   * so no block past its time still holds credits, no hold past its deadline is open, and a
   * partial capture had its remainder released in the same append.
   */
  checkAppendEnd(atMs: number, report: Report): void {
    for (const blockId of this.lotsWithCredits) {
      const lot = this.lots.get(blockId)!;
      if (lot.remaining > 0 && !isLive(lot, atMs)) {
        report(
          'expiry_not_applied',
          `block ${blockId} is past its expiresAt ${lot.expiresAtMs === null ? '' : iso(lot.expiresAtMs)} and still holds ${lot.remaining} credits after an append at ${iso(atMs)}`,
        );
      }
    }
    for (const hold of this.holds.values()) {
      if (hold.status !== 'open') continue;
      if (hold.deadlineMs <= atMs)
        report(
          'hold_overdue',
          `hold ${hold.reservationId} is past its deadline ${iso(hold.deadlineMs)} and still open after an append at ${iso(atMs)}`,
        );
      if (hold.partlyCapturedAt !== null)
        report(
          'capture_remainder',
          `hold ${hold.reservationId} was captured in part and its remainder was not released in the same append`,
        );
    }
  }

  private openLot(
    blockId: string,
    category: BlockCategory,
    source: BlockSource,
    credits: number,
    atMs: number,
    expiresAt: string | undefined,
    report: Report,
    mayArriveExpired = false,
  ): void {
    if (this.lots.has(blockId)) {
      report('duplicate_id', `block ${blockId} created twice`);
      return;
    }
    let expiresAtMs: number | null = null;
    if (expiresAt !== undefined && expiresAt !== null) {
      expiresAtMs = Date.parse(expiresAt);
      if (Number.isNaN(expiresAtMs))
        report(
          'invalid_instant',
          `block ${blockId}: expiresAt ${JSON.stringify(expiresAt)} is not an instant`,
        );
      else if (expiresAtMs <= atMs && !mayArriveExpired)
        report('invalid_instant', `block ${blockId} was born expired (expiresAt ${expiresAt})`);
    }
    const lot: Lot = {
      blockId,
      category,
      source,
      credits,
      remaining: 0,
      grantedAtMs: atMs,
      expiresAtMs,
      expired: false,
    };
    this.lots.set(blockId, lot);
    this.move(lot, credits);
  }

  private capture(
    reservationId: string,
    credits: number,
    drawdown: readonly BlockAmount[],
    atMs: number,
    revision: number,
    report: Report,
  ): void {
    const hold = this.holds.get(reservationId);
    if (!hold) {
      report(
        'unknown_reference',
        `capture of reservation ${reservationId}, which the stream never recorded`,
      );
      return;
    }
    if (hold.status !== 'open')
      report('hold_closed', `capture of reservation ${reservationId}, already ${hold.status}`);
    if (hold.deadlineMs <= atMs)
      report(
        'late_capture',
        `capture at ${iso(atMs)} of reservation ${reservationId} whose deadline was ${iso(hold.deadlineMs)}`,
      );
    if (credits > hold.credits)
      report(
        'capture_exceeds_hold',
        `capture of ${credits} credits from reservation ${reservationId} holding ${hold.credits}`,
      );
    const rest = withoutParts(hold.parts, drawdown, 'first');
    if (rest.missing.length > 0)
      report(
        'hold_not_from_blocks',
        `capture takes ${describeParts(rest.missing)}, which reservation ${reservationId} does not hold`,
      );
    hold.parts = rest.left;
    hold.credits -= credits;
    this.held -= credits;
    if (hold.credits === 0) hold.status = 'captured';
    else hold.partlyCapturedAt = revision;
  }

  private release(
    reservationId: string,
    credits: number,
    reason: string,
    returnedTo: readonly BlockAmount[],
    atMs: number,
    revision: number,
    report: Report,
  ): void {
    const hold = this.holds.get(reservationId);
    if (!hold) {
      report(
        'unknown_reference',
        `release of reservation ${reservationId}, which the stream never recorded`,
      );
      this.putIntoLots(returnedTo, report);
      this.held -= credits;
      return;
    }
    if (hold.status !== 'open')
      report('hold_closed', `release of reservation ${reservationId}, already ${hold.status}`);
    if (credits !== hold.credits)
      report(
        'hold_amount',
        `release of ${credits} credits from reservation ${reservationId} holding ${hold.credits}`,
      );
    const rest = withoutParts(hold.parts, returnedTo, 'last');
    if (rest.missing.length > 0)
      report(
        'hold_not_from_blocks',
        `release returns ${describeParts(rest.missing)}, which reservation ${reservationId} does not hold`,
      );
    if (reason === 'expired' && hold.deadlineMs > atMs) {
      report(
        'release_reason',
        `reservation ${reservationId} released as expired at ${iso(atMs)}, before its deadline ${iso(hold.deadlineMs)}`,
      );
    } else if (reason === 'released' && hold.deadlineMs <= atMs) {
      report(
        'release_reason',
        `reservation ${reservationId} released on request at ${iso(atMs)}, after its deadline ${iso(hold.deadlineMs)}`,
      );
    } else if (reason === 'captured_remainder' && hold.partlyCapturedAt !== revision - 1) {
      report(
        'capture_remainder',
        `remainder of reservation ${reservationId} released without the capture right before it`,
      );
    } else if (!(reason in RELEASE_STATUS)) {
      report('release_reason', `unknown release reason ${JSON.stringify(reason)}`);
    }
    hold.parts = rest.left;
    hold.credits -= credits;
    hold.status = RELEASE_STATUS[reason] ?? 'released';
    hold.partlyCapturedAt = null;
    this.held -= credits;
    this.putIntoLots(returnedTo, report);
  }

  /** Live lots holding credits at `atMs`, in LEDGER.md drawdown order. */
  private liveLotsInOrder(atMs: number): Lot[] {
    const live: Lot[] = [];
    for (const blockId of this.lotsWithCredits) {
      const lot = this.lots.get(blockId)!;
      if (lot.remaining > 0 && isLive(lot, atMs)) live.push(lot);
    }
    return live.sort(drawdownOrder);
  }

  /** Takes come from the front of `ordered`, each lot drained before the next is touched. */
  private expectDrawdown(
    what: string,
    actual: readonly BlockAmount[],
    ordered: readonly Lot[],
    credits: number,
    report: Report,
  ): void {
    const expected: BlockAmount[] = [];
    let wanted = credits;
    for (const lot of ordered) {
      if (wanted <= 0) break;
      const part = Math.min(lot.remaining, wanted);
      expected.push({ blockId: lot.blockId, credits: part });
      wanted -= part;
    }
    if (describeParts(expected) !== describeParts(actual)) {
      report(
        'drawdown_order',
        `${what} took ${describeParts(actual) || 'nothing'}; drawdown order gives ${describeParts(expected) || 'nothing'}`,
      );
    }
  }

  private takeFromLots(parts: readonly BlockAmount[], atMs: number, report: Report): void {
    for (const part of parts) {
      const lot = this.lots.get(part.blockId);
      if (!lot) {
        report('unknown_reference', `block ${part.blockId}, which the stream never created`);
        this.inLots -= part.credits;
        continue;
      }
      if (!isLive(lot, atMs))
        report(
          'expired_block_drawn',
          `${part.credits} credits taken from block ${part.blockId}, expired ${lot.expiresAtMs === null ? '' : `at ${iso(lot.expiresAtMs)}`}`,
        );
      this.move(lot, -part.credits);
    }
  }

  private putIntoLots(parts: readonly BlockAmount[], report: Report): void {
    for (const part of parts) {
      const lot = this.lots.get(part.blockId);
      if (!lot) {
        report('unknown_reference', `block ${part.blockId}, which the stream never created`);
        this.inLots += part.credits;
        continue;
      }
      this.move(lot, part.credits);
    }
  }

  private move(lot: Lot, delta: number): void {
    lot.remaining += delta;
    this.inLots += delta;
    this.touched.add(lot.blockId);
    if (lot.remaining !== 0) this.lotsWithCredits.add(lot.blockId);
    else this.lotsWithCredits.delete(lot.blockId);
  }
}

/** Field checks shared by every event. */
class Checks {
  constructor(private readonly report: Report) {}

  positive(field: string, value: unknown): void {
    if (!Number.isSafeInteger(value) || (value as number) < 1)
      this.report(
        'invalid_amount',
        `${field} is ${JSON.stringify(value)}, not a whole number of credits ≥ 1`,
      );
  }

  /** Every part positive, and together the event's credits. */
  parts(field: string, parts: readonly BlockAmount[], credits: number): void {
    if (!isList(parts)) {
      this.report('unreadable_event', `${field} is not a list`);
      return;
    }
    for (const part of parts) this.positive(`${field} ${part.blockId}`, part.credits);
    const total = sumParts(parts);
    if (total !== credits)
      this.report('amounts_disagree', `${field} moves ${total} credits; the event says ${credits}`);
  }
}

/** Notes `id` in `ids`; a second time is a duplicate_id ("<noun> <id> <how>"). */
function recordOnce(ids: Set<string>, id: string, report: Report, noun: string, how: string): void {
  if (ids.has(id)) report('duplicate_id', `${noun} ${id} ${how}`);
  ids.add(id);
}

export function isLive(lot: Lot, atMs: number): boolean {
  return !lot.expired && (lot.expiresAtMs === null || lot.expiresAtMs > atMs);
}

/** LEDGER.md: expiresAt ascending (never last), promotional before paid, grantedAt, blockId. */
function drawdownOrder(a: Lot, b: Lot): number {
  const expiresA = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const expiresB = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (expiresA !== expiresB) return expiresA < expiresB ? -1 : 1;
  if (a.category !== b.category) return a.category === 'promotional' ? -1 : 1;
  if (a.grantedAtMs !== b.grantedAtMs) return a.grantedAtMs < b.grantedAtMs ? -1 : 1;
  return a.blockId === b.blockId ? 0 : a.blockId < b.blockId ? -1 : 1;
}

/**
 * Array.isArray for a list the types promise but a stored event may not hold (the audit checks
 * events, it does not trust them). Unlike Array.isArray it keeps the element type: no `any[]`.
 */
export function isList<T>(value: readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

function sumParts(parts: readonly BlockAmount[]): number {
  return isList(parts) ? parts.reduce((sum, part) => sum + part.credits, 0) : 0;
}

function copyParts(parts: readonly BlockAmount[]): BlockAmount[] {
  return isList(parts) ? parts.map(({ blockId, credits }) => ({ blockId, credits })) : [];
}

/**
 * `list` without `amounts`, taken per block from the front ('first') or the back ('last'); what
 * the list did not have is `missing`.
 */
function withoutParts(
  list: readonly BlockAmount[],
  amounts: readonly BlockAmount[],
  from: 'first' | 'last',
): { left: BlockAmount[]; missing: BlockAmount[] } {
  const left = copyParts(list);
  const order = from === 'first' ? left : [...left].reverse();
  const missing: BlockAmount[] = [];
  for (const { blockId, credits } of isList(amounts) ? amounts : []) {
    let wanted = credits;
    for (const entry of order) {
      if (wanted <= 0) break;
      if (entry.blockId !== blockId) continue;
      const part = Math.min(entry.credits, wanted);
      entry.credits -= part;
      wanted -= part;
    }
    if (wanted > 0) missing.push({ blockId, credits: wanted });
  }
  return { left: left.filter((entry) => entry.credits > 0), missing };
}

function describeParts(parts: readonly BlockAmount[]): string {
  return isList(parts) ? parts.map((part) => `${part.blockId}:${part.credits}`).join(', ') : '';
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function instantOrNull(instant: string | null | undefined): number | null {
  return instant === null || instant === undefined ? null : Date.parse(instant);
}
