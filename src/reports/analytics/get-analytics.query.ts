import { Query } from '@nestjs/cqrs';
import type { AnalyticsJson, PurchasesGroupBy, UsageGroupBy } from './analytics-rows';

export interface PeriodRequest {
  from?: string;
  to?: string;
  /** A write's `position`: wait (bounded) until the analytics include it. */
  after?: string;
}

/** GET /v1/analytics/usage: the period and the previous one of the same length (AnalyticsAnswer<UsageRow> as JSON). */
export class GetUsage extends Query<AnalyticsJson> {
  constructor(
    readonly groupBy: UsageGroupBy,
    readonly request: PeriodRequest,
    /** Rows at most, for groupBy account and member (the ones that used most). */
    readonly limit: number,
  ) {
    super();
  }
}

/** GET /v1/analytics/purchases (AnalyticsAnswer<PurchaseRow> as JSON). */
export class GetPurchases extends Query<AnalyticsJson> {
  constructor(
    readonly groupBy: PurchasesGroupBy,
    readonly request: PeriodRequest,
  ) {
    super();
  }
}
