import type {
  BlockAmount,
  CreditsAdjusted,
  CreditsExpired,
  CreditsGranted,
  CreditsPurchased,
  CreditsRefunded,
  CreditsReserved,
  CreditsSpent,
  GiftCodeRedeemed,
  GiftCodesFunded,
  LedgerEvent,
  MemberSet,
  PurchaseReversed,
  ReservationReleased,
  ReversalUndone,
  SubscriptionCanceled,
  SubscriptionPlanChanged,
  SubscriptionRenewed,
  SubscriptionStarted,
  SubscriptionPlanTerms,
} from './events';
import type {
  ClosedReservationStatus,
  CreditBlock,
  LedgerOptions,
  LedgerState,
  OpenReservation,
} from './state';
import { DEFAULT_LEDGER_OPTIONS } from './state';
import { adjustRemaining, blockOf, isGone, NO_BLOCK_IDS, sourceOfGrant } from './blocks';
import { epochMs } from './instants';
import { copyAmounts, withoutAmounts } from './block-amounts';
import { LedgerInvariantError } from './errors';
import { forgetStaleKeys, rememberCommandEvent } from './idempotency';
import { lookup } from './keyed-records';
import { forgetExpiredQuotes, rememberUsedQuote } from './used-quotes';
import { knownSubscription } from './known-subscription';
import { copyOperation } from './operation-record';
import {
  EMPTY_EXTRAS,
  emptyRecords,
  ownExtras,
  putInState,
  refundFromSpend,
  rememberSpend,
  removeFromState,
} from './compact-state';
import { countSpend, newMemberRecord } from './programs/pool-usage';
import { answeredAt, applyProgramEvent } from './programs/evolve-programs';

/** The state of an account with no stream yet. */
export function initialState(options?: Partial<LedgerOptions>): LedgerState {
  return {
    revision: -1,
    blocks: emptyRecords(),
    spends: emptyRecords(),
    rememberedSpends: 0,
    forgottenSpends: 0,
    keyedRecords: 0,
    blockIdsWithCredits: NO_BLOCK_IDS,
    unexpiredRemaining: 0,
    reserved: 0,
    extras: EMPTY_EXTRAS,
    options: completeOptions(options),
  };
}

/**
 * Options are read only, so complete ones are shared by every state that gets them (one object,
 * not one per cached account). Field by field otherwise: an explicit `undefined` must not wipe a
 * default.
 */
function completeOptions(options: Partial<LedgerOptions> = DEFAULT_LEDGER_OPTIONS): LedgerOptions {
  if (options.idempotencyRetentionMs !== undefined && options.recentSpendsKept !== undefined)
    return options as LedgerOptions;
  return {
    idempotencyRetentionMs:
      options.idempotencyRetentionMs ?? DEFAULT_LEDGER_OPTIONS.idempotencyRetentionMs,
    recentSpendsKept: options.recentSpendsKept ?? DEFAULT_LEDGER_OPTIONS.recentSpendsKept,
  };
}

/**
 * Folds one event into the state. For speed on long streams it updates `state` in place and
 * returns it: callers that need the old state keep a `cloneState` copy.
 */
export function evolve(state: LedgerState, event: LedgerEvent): LedgerState {
  state.revision += 1;
  applyEvent(state, event);
  rememberCommandEvent(state, event);
  forgetStaleKeys(state, event);
  forgetExpiredQuotes(state, event);
  return state;
}

function applyEvent(state: LedgerState, event: LedgerEvent): void {
  switch (event.type) {
    case 'CreditsPurchased':
      return applyPurchased(state, event);
    case 'CreditsGranted':
      return applyGranted(state, event);
    case 'CreditsSpent':
      return applySpent(state, event);
    case 'CreditsAdjusted':
      return applyAdjusted(state, event);
    case 'CreditsRefunded':
      return applyRefunded(state, event);
    case 'CreditsExpired':
      return applyExpired(state, event);
    case 'CreditsReserved':
      return applyReserved(state, event);
    case 'ReservationReleased':
      return applyReleased(state, event);
    case 'PurchaseReversed':
      return applyReversed(state, event);
    case 'ReversalUndone':
      return applyUndone(state, event);
    case 'MemberSet':
      return applyMemberSet(state, event);
    case 'MemberRemoved':
      return removeFromState(state, 'members', event.data.memberId);
    case 'GiftCodesFunded':
      return applyGiftCodesFunded(state, event);
    case 'GiftCodeRedeemed':
      return applyGiftCodeRedeemed(state, event);
    case 'TransferSent':
    case 'TransferReceived':
    case 'TransferDeclined':
    case 'TransferReturned':
    case 'AccountClosed':
      return applyProgramEvent(state, event);
    case 'SubscriptionStarted':
    case 'SubscriptionRenewed':
      return applyPeriodPaid(state, event);
    case 'SubscriptionPlanChanged':
      return applyPlanChanged(state, event);
    case 'SubscriptionCanceled':
      return applyCanceled(state, event);
    // Facts for notices and audits: the credits are the purchase's.
    case 'AutoTopUpSucceeded':
    case 'AutoTopUpFailed':
      return;
    default: {
      const unknown: never = event;
      throw new LedgerInvariantError(
        `cannot fold event type ${(unknown as { type: string }).type}`,
      );
    }
  }
}

function applyPurchased(state: LedgerState, { data, metadata }: CreditsPurchased): void {
  openBlock(state, {
    blockId: data.blockId,
    category: 'paid',
    source: 'purchase',
    credits: data.credits,
    remaining: 0,
    grantedAt: metadata.occurredAt,
    expiresAt: data.expiresAt ?? null,
    expired: false,
    costBasis: { ...data.amountPaid },
    purchaseId: data.purchaseId,
  });
  putInState(state, 'purchases', data.purchaseId, {
    purchaseId: data.purchaseId,
    blockId: data.blockId,
    credits: data.credits,
    provider: data.provider,
    providerRef: data.providerRef,
    amountPaid: { ...data.amountPaid },
    revision: state.revision,
    // As the idempotency memory counts them: a purchase is the last event of its command.
    balance: state.unexpiredRemaining + state.reserved,
    available: state.unexpiredRemaining,
    reserved: state.reserved,
    reversed: 0,
    reversedUnnamed: 0,
    unnamedRemoved: [],
  });
  putInState(state, 'purchasesByProviderRef', data.providerRef, data.purchaseId);
}

function applyGranted(state: LedgerState, { data, metadata }: CreditsGranted): void {
  openBlock(state, {
    // The literal, not the parsed string: one copy for every cached block instead of one each.
    blockId: data.blockId,
    category: data.category === 'paid' ? 'paid' : 'promotional',
    source: sourceOfGrant(data.reason),
    credits: data.credits,
    remaining: 0,
    grantedAt: metadata.occurredAt,
    expiresAt: data.expiresAt ?? null,
    expired: false,
  });
  if (state.extras.welcome === null && (data.reason === 'signup' || data.reason === 'lead'))
    ownExtras(state).welcome = answeredAt(state);
}

function openBlock(state: LedgerState, block: CreditBlock): void {
  putInState(state, 'blocks', block.blockId, block);
  adjustRemaining(state, block.blockId, block.credits);
}

function applySpent(state: LedgerState, { data, metadata }: CreditsSpent): void {
  if (data.member !== undefined) {
    const member = lookup(state.extras.members, data.member);
    if (member) countSpend(member, data.credits, metadata.occurredAt);
  }
  if (data.reservationId === undefined) {
    for (const { blockId, credits } of data.drawdown) adjustRemaining(state, blockId, -credits);
  } else {
    captureFromHold(state, data.reservationId, data);
  }
  rememberSpend(state, data.spendId, data.credits, data.drawdown);
  if (data.quote !== undefined) rememberUsedQuote(state, data.quote);
}

/** Out of the blocks like a plain spend; nothing to remember (an adjustment is never refunded). */
function applyAdjusted(state: LedgerState, { data }: CreditsAdjusted): void {
  for (const { blockId, credits } of data.drawdown) adjustRemaining(state, blockId, -credits);
}

/**
 * A capture spends held credits (already out of the blocks). A hold captured in full closes here; a
 * partial capture stays open until the ReservationReleased for the remainder that follows it.
 */
function captureFromHold(
  state: LedgerState,
  reservationId: string,
  data: CreditsSpent['data'],
): void {
  const hold = openHold(state, reservationId);
  hold.drawdown = withoutAmounts(hold.drawdown, data.drawdown, 'first');
  hold.credits -= data.credits;
  state.reserved -= data.credits;
  if (hold.credits === 0) closeHold(state, reservationId, 'captured');
}

function applyRefunded(state: LedgerState, { data, metadata }: CreditsRefunded): void {
  if (!refundFromSpend(state, data.spendId, data.returnedTo))
    throw new LedgerInvariantError(`refund of unknown spend ${data.spendId}`);
  for (const { blockId, credits } of data.returnedTo) adjustRemaining(state, blockId, credits);
  noteReturnedAfterEnd(state, data.returnedTo, metadata.occurredAt);
}

/** Credits back into a subscription block past its end: lost at once, and not unused at the end. */
function noteReturnedAfterEnd(
  state: LedgerState,
  returnedTo: readonly BlockAmount[],
  occurredAt: string,
): void {
  const period = state.extras.subscription?.period;
  if (!period) return;
  for (const { blockId, credits } of returnedTo) {
    if (period.blockIds.includes(blockId) && isGone(blockOf(state, blockId), epochMs(occurredAt)))
      period.returnedAfterEnd += credits;
  }
}

function applyExpired(state: LedgerState, { data }: CreditsExpired): void {
  const period = state.extras.subscription?.period;
  if (period?.blockIds.includes(data.blockId)) period.expiredCredits += data.credits;
  adjustRemaining(state, data.blockId, -data.credits);
  blockOf(state, data.blockId).expired = true;
}

function applyPeriodPaid(
  state: LedgerState,
  { data }: SubscriptionStarted | SubscriptionRenewed,
): void {
  const known = knownSubscription(state, data.subscriptionId);
  ownExtras(state).subscription = {
    subscriptionId: data.subscriptionId,
    period: {
      periodStart: data.periodStart,
      periodEnd: data.periodEnd,
      plan: copyTerms(data.plan),
      grantedCredits: data.credits,
      blockIds: data.blockId === undefined ? [] : [data.blockId],
      expiredCredits: 0,
      returnedAfterEnd: 0,
    },
    pendingPlan: null,
    endedAt: known?.endedAt ?? null,
  };
}

function applyPlanChanged(state: LedgerState, { data }: SubscriptionPlanChanged): void {
  const subscription = knownSubscription(state, data.subscriptionId) ?? {
    subscriptionId: data.subscriptionId,
    period: null,
    pendingPlan: null,
    endedAt: null,
  };
  ownExtras(state).subscription = subscription;
  const period = subscription.period;
  if (data.effective === 'now' && period && period.periodStart === data.periodStart) {
    period.plan = copyTerms(data.plan);
    period.grantedCredits += data.credits;
    if (data.blockId !== undefined) period.blockIds = [...period.blockIds, data.blockId];
  } else if (data.effective === 'next_period') {
    subscription.pendingPlan = { periodStart: data.periodStart, plan: copyTerms(data.plan) };
  }
}

function applyCanceled(state: LedgerState, { data }: SubscriptionCanceled): void {
  const known = knownSubscription(state, data.subscriptionId);
  ownExtras(state).subscription = known
    ? { ...known, endedAt: data.endedAt }
    : {
        subscriptionId: data.subscriptionId,
        period: null,
        pendingPlan: null,
        endedAt: data.endedAt,
      };
}

function copyTerms(plan: SubscriptionPlanTerms): SubscriptionPlanTerms {
  return {
    planId: plan.planId,
    creditsPerPeriod: plan.creditsPerPeriod,
    rollover: {
      maxCredits: plan.rollover.maxCredits,
      expiresAfterPeriods: plan.rollover.expiresAfterPeriods,
    },
  };
}

function applyReserved(state: LedgerState, { data }: CreditsReserved): void {
  for (const { blockId, credits } of data.drawdown) adjustRemaining(state, blockId, -credits);
  const hold: OpenReservation = {
    reservationId: data.reservationId,
    credits: data.credits,
    expiresAt: data.expiresAt,
    drawdown: copyAmounts(data.drawdown),
  };
  if (data.description !== undefined) hold.description = data.description;
  if (data.operation !== undefined) hold.operation = copyOperation(data.operation);
  putInState(state, 'reservations', data.reservationId, hold);
  state.reserved += data.credits;
  if (data.quote !== undefined) rememberUsedQuote(state, data.quote);
}

const CLOSED_AS: Record<ReservationReleased['data']['reason'], ClosedReservationStatus> = {
  released: 'released',
  expired: 'expired',
  captured_remainder: 'captured',
};

function applyReleased(state: LedgerState, { data, metadata }: ReservationReleased): void {
  const hold = openHold(state, data.reservationId);
  if (data.credits !== hold.credits) {
    throw new LedgerInvariantError(
      `release of ${data.credits} credits from hold ${data.reservationId} holding ${hold.credits}`,
    );
  }
  for (const { blockId, credits } of data.returnedTo) adjustRemaining(state, blockId, credits);
  noteReturnedAfterEnd(state, data.returnedTo, metadata.occurredAt);
  state.reserved -= data.credits;
  closeHold(state, data.reservationId, CLOSED_AS[data.reason]);
}

function applyReversed(state: LedgerState, { data }: PurchaseReversed): void {
  for (const { blockId, credits } of data.removed) adjustRemaining(state, blockId, -credits);
  const purchase = lookup(state.extras.purchases, data.purchaseId);
  if (!purchase) throw new LedgerInvariantError(`reversal of unknown purchase ${data.purchaseId}`);
  purchase.reversed += data.credits;
  if (data.reversalId === undefined) {
    purchase.reversedUnnamed += data.credits;
    purchase.unnamedRemoved = [...purchase.unnamedRemoved, ...copyAmounts(data.removed)];
  } else {
    putInState(state, 'reversals', data.reversalId, {
      purchaseId: data.purchaseId,
      credits: data.credits,
      removed: copyAmounts(data.removed),
      shortfall: data.shortfall,
      undone: false,
    });
  }
}

function applyUndone(state: LedgerState, { data }: ReversalUndone): void {
  for (const { blockId, credits } of data.restored) adjustRemaining(state, blockId, credits);
  const purchase = lookup(state.extras.purchases, data.purchaseId);
  if (!purchase)
    throw new LedgerInvariantError(`reinstatement of unknown purchase ${data.purchaseId}`);
  // What is no longer reversed: what comes back plus the shortfall no longer owed.
  const undoneCredits = data.credits + data.shortfallCancelled;
  purchase.reversed -= undoneCredits;
  const reversal = lookup(state.extras.reversals, data.reversalId);
  if (reversal) {
    if (reversal.undone) throw new LedgerInvariantError(`reversal ${data.reversalId} undone twice`);
    reversal.undone = true;
  } else {
    // No reversal of that name: a failed refund undoing part of the unnamed (cumulative) reversals,
    // or a cause undone before its reversal came, which must then never apply. Either way, settled.
    purchase.reversedUnnamed -= undoneCredits;
    purchase.unnamedRemoved = withoutAmounts(purchase.unnamedRemoved, data.restored, 'last');
    putInState(state, 'reversals', data.reversalId, {
      purchaseId: data.purchaseId,
      credits: 0,
      removed: [],
      shortfall: 0,
      undone: true,
    });
  }
}

/** A new member starts with no usage; a changed limit keeps the usage counted so far. */
function applyMemberSet(state: LedgerState, { data, metadata }: MemberSet): void {
  const existing = lookup(state.extras.members, data.memberId);
  if (existing) {
    existing.limit = data.limit === undefined ? null : { ...data.limit };
    return;
  }
  putInState(state, 'members', data.memberId, newMemberRecord(data.limit, metadata.occurredAt));
}

/** Escrow: the credits leave the blocks, and the account (the codes carry them now). */
function applyGiftCodesFunded(state: LedgerState, { data }: GiftCodesFunded): void {
  for (const { blockId, credits } of data.drawdown) adjustRemaining(state, blockId, -credits);
}

function applyGiftCodeRedeemed(state: LedgerState, { data, metadata }: GiftCodeRedeemed): void {
  for (const block of data.blocks) {
    openBlock(state, {
      blockId: block.blockId,
      category: block.category === 'paid' ? 'paid' : 'promotional',
      source: 'gift',
      credits: block.credits,
      remaining: 0,
      grantedAt: metadata.occurredAt,
      expiresAt: block.expiresAt ?? null,
      expired: false,
    });
  }
  putInState(state, 'giftCodesRedeemed', data.codeHash, true);
}

function openHold(state: LedgerState, reservationId: string): OpenReservation {
  const hold = lookup(state.extras.reservations, reservationId);
  if (!hold) throw new LedgerInvariantError(`unknown or closed reservation ${reservationId}`);
  return hold;
}

function closeHold(
  state: LedgerState,
  reservationId: string,
  status: ClosedReservationStatus,
): void {
  removeFromState(state, 'reservations', reservationId);
  putInState(state, 'closedReservations', reservationId, status);
}
