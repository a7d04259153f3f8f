/** The rows GET /v1/analytics/* answer (docs/reports.md "Analytics"). Amounts are integers. */

export type UsageGroupBy = 'day' | 'operation' | 'account' | 'member';
export const USAGE_GROUP_BYS: readonly UsageGroupBy[] = ['day', 'operation', 'account', 'member'];
export type PurchasesGroupBy = 'day' | 'pack';
export const PURCHASES_GROUP_BYS: readonly PurchasesGroupBy[] = ['day', 'pack'];

/** Spends and refunds in a group. `credits` is net usage: spentCredits − refundedCredits. */
export interface UsageAmountsAnswer {
  credits: number;
  spentCredits: number;
  refundedCredits: number;
  spends: number;
  refunds: number;
}

export interface OperationUsage extends UsageAmountsAnswer {
  /** null: spends of a plain amount, not priced by operation. */
  operationId: string | null;
}

export type UsageRow =
  | (UsageAmountsAnswer & {
      day: string;
      /** Accounts with at least one spend that day. */
      activeAccounts: number;
      /** The day's net credits and spends per operation (only operations used or refunded that day). */
      byOperation: Array<{ operationId: string | null; credits: number; spends: number }>;
    })
  | OperationUsage
  | (UsageAmountsAnswer & { accountId: string })
  | (UsageAmountsAnswer & { accountId: string; member: string });

export interface Revenue {
  currency: string;
  amountMinor: number;
}

export interface PurchaseAmountsAnswer {
  purchases: number;
  credits: number;
  /** Gross revenue, per currency, in minor units. */
  revenue: Revenue[];
  /** Reversals (Stripe refunds, disputes) recorded in the period, and the credits they were to take back. */
  reversals: number;
  reversedCredits: number;
}

export type PurchaseRow =
  (PurchaseAmountsAnswer & { day: string }) | (PurchaseAmountsAnswer & { packId: string | null });

export interface PeriodAnswer {
  from: string;
  to: string;
}

export interface AnalyticsAnswer<Row> {
  groupBy: string;
  period: PeriodAnswer;
  previousPeriod: PeriodAnswer;
  data: Row[];
  previous: Row[];
}

/**
 * An AnalyticsAnswer as its JSON in UTF-8 (what JSON.stringify makes of it, byte for byte): the
 * controller sends it as is. The day answers' rows are written as JSON by SQL
 * (analytics-read-model.ts), so no object of the answer is ever built; and the rows' texts are
 * written straight into one Buffer, never joined into one string: a 0.5 MB string is a large
 * object in V8's old generation, and building two or three per request (joined, then wrapped, then
 * flattened to be sent) set off full collections that made the slow tail of the day questions.
 */
export type AnalyticsJson = Buffer;
