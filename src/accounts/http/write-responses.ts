import type { WriteOutcome } from '../write-path/write-outcome';
import type { LedgerEvent, OperationRecord, QuoteUse } from '../../ledger/events';
import type {
  AdjustmentResponse,
  CaptureResponse,
  GrantResponse,
  PurchaseResponse,
  RefundResponse,
  ReleaseResponse,
  ReservationResponse,
  SpendResponse,
  WriteResponse,
} from './dto/responses';

/**
 * Builds each write endpoint's answer from the events the command wrote, so a first answer and
 * an idempotent replay (events read back from the stream) are the same answer.
 */
function common(outcome: WriteOutcome): WriteResponse {
  const { balance, available, reserved, revision, position } = outcome;
  return { balance, available, reserved, revision, position };
}

function find<T extends LedgerEvent['type']>(
  outcome: WriteOutcome,
  type: T,
  where: (event: Extract<LedgerEvent, { type: T }>) => boolean = () => true,
) {
  const event = outcome.events.find(
    (candidate): candidate is Extract<LedgerEvent, { type: T }> =>
      candidate.type === type && where(candidate as Extract<LedgerEvent, { type: T }>),
  );
  if (!event) throw new Error(`outcome for ${outcome.accountId} has no ${type} event`);
  return event;
}

/** What a priced spend or hold adds to its answer: the operation it paid for, the quote it used. */
function pricedFields({ operation, quote }: { operation?: OperationRecord; quote?: QuoteUse }): {
  operation?: OperationRecord;
  quoteId?: string;
} {
  return {
    ...(operation !== undefined && { operation }),
    ...(quote !== undefined && { quoteId: quote.quoteId }),
  };
}

export function spendResponse(outcome: WriteOutcome): SpendResponse {
  const spent = find(outcome, 'CreditsSpent').data;
  return {
    spendId: spent.spendId,
    credits: spent.credits,
    ...pricedFields(spent),
    ...common(outcome),
  };
}

export function refundResponse(outcome: WriteOutcome): RefundResponse {
  const { refundId, spendId, credits } = find(outcome, 'CreditsRefunded').data;
  return { refundId, spendId, credits, ...common(outcome) };
}

export function grantResponse(outcome: WriteOutcome): GrantResponse {
  const { blockId, credits } = find(outcome, 'CreditsGranted').data;
  return { blockId, credits, ...common(outcome) };
}

export function adjustmentResponse(outcome: WriteOutcome): AdjustmentResponse {
  const { adjustmentId, credits } = find(outcome, 'CreditsAdjusted').data;
  return { adjustmentId, credits, ...common(outcome) };
}

/** From the purchase's event, also for a repeat: the first purchase's own event, revision and position. */
export function purchaseResponse(outcome: WriteOutcome): PurchaseResponse {
  const { purchaseId, blockId, credits, amountPaid } = find(outcome, 'CreditsPurchased').data;
  return {
    accountId: outcome.accountId,
    purchaseId,
    blockId,
    credits,
    amountPaid: amountPaid.minor,
    currency: amountPaid.currency,
    ...common(outcome),
  };
}

export function reservationResponse(outcome: WriteOutcome): ReservationResponse {
  const hold = find(outcome, 'CreditsReserved').data;
  const { reservationId, credits, expiresAt } = hold;
  return { reservationId, credits, expiresAt, ...pricedFields(hold), ...common(outcome) };
}

export function captureResponse(outcome: WriteOutcome): CaptureResponse {
  const spent = find(
    outcome,
    'CreditsSpent',
    (event) => event.data.reservationId !== undefined,
  ).data;
  const remainder = outcome.events.find(
    (event) => event.type === 'ReservationReleased' && event.data.reason === 'captured_remainder',
  );
  return {
    reservationId: spent.reservationId!,
    spendId: spent.spendId,
    credits: spent.credits,
    released: remainder?.type === 'ReservationReleased' ? remainder.data.credits : 0,
    ...pricedFields(spent),
    ...common(outcome),
  };
}

export function releaseResponse(outcome: WriteOutcome): ReleaseResponse {
  const { reservationId, credits } = find(
    outcome,
    'ReservationReleased',
    (event) => event.data.reason === 'released',
  ).data;
  return { reservationId, released: credits, ...common(outcome) };
}
