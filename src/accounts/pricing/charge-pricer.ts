import { Injectable } from '@nestjs/common';
import { MAX_COMMAND_CREDITS } from '../../ledger/limits';
import { priceOperation } from '../../pricing/rate-card/price';
import type { PriceRequest, RateCard } from '../../pricing/rate-card/rate-card';
import { RateCards } from '../../pricing/rate-card/rate-cards';
import { AccountQueries } from '../queries/account-queries';
import type { CaptureCharge, Charge, ChargeRequest, PricedOperation } from './charge';
import {
  CaptureOverHoldError,
  HoldNotPricedError,
  PricingRefusedError,
  QuoteNotFoundError,
} from './errors';
import { QuoteSigner } from './quote-signer';
import { QuoteStore } from './quote-store';

/**
 * Prices a spend, hold or capture BEFORE it is submitted to the account's mailbox: the command
 * then carries plain credits and the operation record, and the write path is the one every spend
 * takes. What depends on the account at the instant of the write (a quote's single use and expiry,
 * minimumAvailable) is left in the command for the decider.
 */
@Injectable()
export class ChargePricer {
  constructor(
    private readonly rateCards: RateCards,
    private readonly signer: QuoteSigner,
    private readonly quotes: QuoteStore,
    private readonly queries: AccountQueries,
  ) {}

  /** An operation at the current card (a quote, a spend by operation). */
  async atCurrentCard(request: PriceRequest): Promise<PricedOperation> {
    return priceOn(await this.rateCards.current(), request);
  }

  /** A spend or hold by operation (current card) or by quote (exactly the quoted credits). */
  async charge(accountId: string, request: ChargeRequest): Promise<Charge> {
    if ('quoteId' in request) return this.quoted(accountId, request.quoteId);
    const priced = await this.atCurrentCard(request);
    return {
      credits: priced.credits,
      operation: priced.operation,
      description: priced.name,
      ...(priced.minimumAvailable !== undefined && { minimumAvailable: priced.minimumAvailable }),
    };
  }

  /**
   * A capture for `quantity`, at the card version the hold was priced by. Null when the hold is
   * not open: the capture goes on unpriced and the decider says why (not found, closed, expired).
   */
  async capture(
    accountId: string,
    reservationId: string,
    quantity: number,
  ): Promise<CaptureCharge | null> {
    const hold = await this.queries.openHold(accountId, reservationId);
    if (hold === null) return null;
    if (hold.operation === undefined) throw new HoldNotPricedError(reservationId);
    const { operationId, dimensions, rateCardVersion } = hold.operation;
    const card = await this.rateCards.version(rateCardVersion);
    if (card === null) throw new Error(`rate card version ${rateCardVersion} is not readable`);
    const priced = priceOn(card, { operation: operationId, quantity, dimensions });
    if (priced.credits > hold.credits)
      throw new CaptureOverHoldError(reservationId, priced.credits, hold.credits);
    return { credits: priced.credits, operation: priced.operation };
  }

  private async quoted(accountId: string, quoteId: string): Promise<Charge> {
    if (!QuoteSigner.isSigned(quoteId)) return this.stored(accountId, quoteId);
    // Another account's quote, or an altered one, is as unknown here as one never given.
    const promise = this.signer.verify(accountId, quoteId);
    if (promise === null) throw new QuoteNotFoundError(quoteId);
    const { operation } = promise;
    // The name and minimumAvailable of the card that priced it (a version never changes).
    const card = await this.rateCards.version(operation.rateCardVersion);
    const priced = card?.operations.find((each) => each.operationId === operation.operationId);
    if (priced === undefined)
      throw new Error(`rate card version ${operation.rateCardVersion} is not readable`);
    return {
      credits: promise.credits,
      operation,
      description: priced.name,
      quote: { quoteId, expiresAt: promise.expiresAt },
      ...(priced.minimumAvailable !== undefined && { minimumAvailable: priced.minimumAvailable }),
    };
  }

  /** A quote given before quotes were signed: read from the table until it expires. */
  private async stored(accountId: string, quoteId: string): Promise<Charge> {
    const quote = await this.quotes.find(quoteId);
    if (quote === null || quote.accountId !== accountId) throw new QuoteNotFoundError(quoteId);
    return {
      credits: quote.credits,
      operation: quote.operation,
      description: quote.operationName,
      quote: { quoteId: quote.quoteId, expiresAt: quote.expiresAt },
      ...(quote.minimumAvailable !== null && { minimumAvailable: quote.minimumAvailable }),
    };
  }
}

function priceOn(card: RateCard, request: PriceRequest): PricedOperation {
  const result = priceOperation(card, request, MAX_COMMAND_CREDITS);
  if (!result.ok) throw new PricingRefusedError(result.refusal);
  const { operation, breakdown, rateCardVersion } = result;
  return {
    credits: breakdown.credits,
    breakdown,
    operation: {
      operationId: operation.operationId,
      quantity: breakdown.quantity,
      // The values the price used: exactly the request's, since a dimension the operation does not
      // price is refused.
      dimensions: Object.fromEntries(breakdown.multipliers.map((m) => [m.dimension, m.value])),
      rateCardVersion,
    },
    name: operation.name,
    ...(operation.minimumAvailable !== undefined && {
      minimumAvailable: operation.minimumAvailable,
    }),
  };
}
