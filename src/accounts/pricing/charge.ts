import type { PricedCharge } from '../../ledger/commands';
import type { OperationRecord } from '../../ledger/events';
import type { PriceBreakdown } from '../../pricing/rate-card/price';
import type { PriceRequest } from '../../pricing/rate-card/rate-card';

/** What a spend or hold asks to pay instead of plain credits (PRODUCT.md §1). */
export type ChargeRequest = PriceRequest | { quoteId: string };

/** An operation priced on one card: what a quote answers and a priced spend records. */
export interface PricedOperation {
  credits: number;
  breakdown: PriceBreakdown;
  operation: OperationRecord;
  /** The operation's name on that card. */
  name: string;
  minimumAvailable?: number;
}

/** A spend's or hold's credits, priced before it is submitted, and what the decider must check. */
export interface Charge extends PricedCharge {
  credits: number;
  operation: OperationRecord;
  /** The description when the request gives none: the operation's name. */
  description: string;
}

/** A capture's credits for the quantity actually used, at the hold's card version. */
export interface CaptureCharge {
  credits: number;
  operation: OperationRecord;
}
