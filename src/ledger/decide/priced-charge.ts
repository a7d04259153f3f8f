import type { PricedCharge } from '../commands';
import type { OperationRecord, QuoteUse } from '../events';
import type { Rejection } from '../rejections';
import { copyOperation } from '../operation-record';
import { quoteRefusal } from '../used-quotes';
import type { Situation } from './situation';

/**
 * The rules a priced spend or hold adds (PRODUCT.md §1), checked on the account as the decider sees
 * it, so that they hold under concurrency exactly like the balance: the quote it pays is neither
 * expired nor used, and the operation's minimumAvailable is available. Null: no objection.
 */
export function pricedChargeRejection(
  charge: PricedCharge,
  { state, view, nowMs }: Situation,
): Rejection | null {
  if (charge.quote !== undefined) {
    const refusal = quoteRefusal(state, charge.quote, nowMs);
    if (refusal) return refusal;
  }
  if (charge.minimumAvailable !== undefined && view.available < charge.minimumAvailable) {
    return {
      code: 'minimum_available',
      available: view.available,
      minimumAvailable: charge.minimumAvailable,
    };
  }
  return null;
}

/** What the event records of a priced charge (nothing for a plain one). */
export function pricedChargeData(charge: PricedCharge): {
  operation?: OperationRecord;
  quote?: QuoteUse;
} {
  return {
    ...(charge.operation !== undefined && { operation: copyOperation(charge.operation) }),
    ...(charge.quote !== undefined && { quote: { ...charge.quote } }),
  };
}
