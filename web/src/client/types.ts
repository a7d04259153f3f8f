/**
 * The answers the widgets read, as API.md names them. Until the service's generated client lands in
 * web/src/api/ (openapi-typescript, from the service's own OpenAPI document), these are the
 * widgets' own reading of API.md; local-paths.ts wires them into openapi-fetch the same way.
 */

export interface BalanceAnswer {
  accountId: string;
  balance: number;
  available: number;
  reserved: number;
  revision: number;
  /** Added by the notifications work (API.md "Subscriptions…"): the service's own low-balance rule. */
  lowBalance?: boolean;
}

export type TransactionType =
  'purchase' | 'grant' | 'spend' | 'refund' | 'expiry' | 'reservation' | 'release' | 'reversal';

export interface TransactionRow {
  id: string;
  /** A TransactionType; a newer service may add types, shown by their name. */
  type: string;
  /** Signed: + in, − out. */
  credits: number;
  balanceAfter: number;
  description: string | null;
  reference: string | null;
  occurredAt: string;
  revision: number;
}

export interface TransactionsPage {
  data: TransactionRow[];
  nextCursor: string | null;
}

export interface CreditPack {
  packId: string;
  name: string;
  credits: number;
  bonusCredits?: number;
  price: { minor: number; currency: string };
  popular: boolean;
  savingsPercent?: number;
}

export interface CheckoutSessionAnswer {
  sessionId: string;
  clientSecret?: string | null;
  url?: string | null;
}

export interface QuoteRequest {
  operation: string;
  quantity?: number;
  dimensions?: Record<string, string | number>;
}

export interface QuoteAnswer {
  quoteId: string;
  credits: number;
  available: number;
  sufficient: boolean;
  balanceAfter: number;
  lowBalance?: boolean;
  expiresAt: string;
}

export interface WidgetsConfig {
  stripePublishableKey: string | null;
  lowBalanceThreshold: number;
}

/** RFC 9457 problem details, as every error of the service is answered. */
export interface Problem {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
}
