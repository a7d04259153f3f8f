import { Injectable } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProjectionWaiter } from '../../../projections/nest/projection-waiter';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { AnalyticsNotCaughtUpError } from '../errors';
import {
  InvalidReportQueryError,
  previousPeriod,
  resolvePeriod,
  wholeDays,
  type Period,
} from '../period';
import { AnalyticsReadModel, type BothPeriodsJson } from './analytics-read-model';
import type { AnalyticsAnswer, AnalyticsJson } from './analytics-rows';
import { GetPurchases, GetUsage, type PeriodRequest } from './get-analytics.query';

/** The two periods of an answer, as it names them. */
type PeriodsAnswer = Pick<AnalyticsAnswer<never>, 'period' | 'previousPeriod'>;

/** The projection the analytics read (projections/analytics/analytics.projection.ts). */
export const ANALYTICS_PROJECTION = 'analytics';

/** Resolves the period in whole UTC days and waits for `after`; shared by both questions. */
@Injectable()
abstract class AnalyticsHandler {
  constructor(
    protected readonly readModel: AnalyticsReadModel,
    private readonly waiter: ProjectionWaiter,
    private readonly config: AppConfig,
    protected readonly clock: Clock,
  ) {}

  protected async periods(request: PeriodRequest): Promise<{
    period: Period;
    previous: Period;
    answer: PeriodsAnswer;
  }> {
    const period = wholeDays(resolvePeriod(request, this.clock.now()));
    const previous = previousPeriod(period);
    if (request.after !== undefined) {
      if (!this.waiter.isValidPosition(request.after))
        throw new InvalidReportQueryError(
          'after',
          'is not a position returned by a write of this service',
        );
      const timeoutMs = this.config.consistencyTimeoutMs;
      const outcome = await this.waiter.waitFor(ANALYTICS_PROJECTION, request.after, timeoutMs);
      if (!outcome.reached)
        throw new AnalyticsNotCaughtUpError(request.after, outcome.checkpoint, timeoutMs);
    }
    const show = (p: Period) => ({ from: p.from.toISOString(), to: p.to.toISOString() });
    return { period, previous, answer: { period: show(period), previousPeriod: show(previous) } };
  }

  /**
   * The answer's JSON, as JSON.stringify would write the AnalyticsAnswer
   * `{ groupBy, period, previousPeriod, data, previous }`, around rows that are JSON already.
   */
  protected json(groupBy: string, answer: PeriodsAnswer, both: BothPeriodsJson): AnalyticsJson {
    return utf8Of([
      `{"groupBy":${JSON.stringify(groupBy)},"period":${JSON.stringify(answer.period)},"previousPeriod":${JSON.stringify(answer.previousPeriod)},"data":[`,
      ...between(both.data, ','),
      '],"previous":[',
      ...between(both.previous, ','),
      ']}',
    ]);
  }
}

/** The texts with `separator` between each two. */
function between(texts: readonly string[], separator: string): string[] {
  const parts: string[] = [];
  texts.forEach((text, index) => {
    if (index > 0) parts.push(separator);
    parts.push(text);
  });
  return parts;
}

/** The texts one after another in UTF-8, written into one Buffer (never one joined string). */
function utf8Of(texts: readonly string[]): Buffer {
  let bytes = 0;
  for (const text of texts) bytes += Buffer.byteLength(text);
  const buffer = Buffer.allocUnsafe(bytes);
  let offset = 0;
  for (const text of texts) offset += buffer.write(text, offset);
  return buffer;
}

@QueryHandler(GetUsage)
export class GetUsageHandler
  extends AnalyticsHandler
  implements IQueryHandler<GetUsage, AnalyticsJson>
{
  async execute({ groupBy, request, limit }: GetUsage): Promise<AnalyticsJson> {
    const { period, previous, answer } = await this.periods(request);
    const both = await this.readModel.usage(groupBy, period, previous, limit, this.clock.now());
    return this.json(groupBy, answer, both);
  }
}

@QueryHandler(GetPurchases)
export class GetPurchasesHandler
  extends AnalyticsHandler
  implements IQueryHandler<GetPurchases, AnalyticsJson>
{
  async execute({ groupBy, request }: GetPurchases): Promise<AnalyticsJson> {
    const { period, previous, answer } = await this.periods(request);
    const both = await this.readModel.purchases(groupBy, period, previous);
    return this.json(groupBy, answer, both);
  }
}
