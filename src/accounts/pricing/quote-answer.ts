import type { PriceBreakdown } from '../../pricing/rate-card/price';

/** API.md "Prices": the answer to POST /v1/accounts/{accountId}/quotes. */
export interface QuoteAnswer {
  quoteId: string;
  credits: number;
  breakdown: PriceBreakdown;
  rateCardVersion: number;
  expiresAt: string;
  /** Available now (strongly consistent, as `check`). */
  available: number;
  /** Could it run now: enough available for the credits, and for the operation's minimumAvailable. */
  sufficient: boolean;
  /** The balance once the quoted spend is made; below 0 when it cannot be (the shortfall). */
  balanceAfter: number;
  /** Available credits after the quoted spend would be below LOW_BALANCE_THRESHOLD. */
  lowBalance: boolean;
}
