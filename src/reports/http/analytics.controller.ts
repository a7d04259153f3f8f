import { Controller, Get, Header, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AuthenticatedRoute } from '../../http/route-docs';
import type { AnalyticsJson } from '../analytics/analytics-rows';
import { GetPurchases, GetUsage } from '../analytics/get-analytics.query';
import { AnalyticsResponse, DEFAULT_GROUP_LIMIT, PurchasesQuery, UsageQuery } from './dto';

/** What Fastify names JSON it serializes: the answers, JSON bytes already, are sent as is under it. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Usage and purchases per period, with the previous period (docs/reports.md "Analytics"). The
 * answers come from the query bus as JSON in a Buffer (AnalyticsJson, byte for byte what
 * JSON.stringify made of the answer objects before), sent as is: a two-year day answer is ~0.5 MB.
 */
@ApiTags('reports')
@AuthenticatedRoute()
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('usage')
  @Header('Content-Type', JSON_CONTENT_TYPE)
  @RequireScope('finance')
  @ApiOperation({
    summary: 'Credits used per day, operation, account or pool member, with the previous period',
    description:
      'Scope finance or admin. Projected (eventually consistent; ?after=<position> waits for a write). Whole UTC days.',
  })
  @ApiOkResponse({ type: AnalyticsResponse })
  @ApiResponse({
    status: 400,
    description: 'validation_failed: a bad period (over 2 years), groupBy or limit',
  })
  usage(@Query() query: UsageQuery): Promise<AnalyticsJson> {
    return this.queryBus.execute(
      new GetUsage(
        query.groupBy ?? 'day',
        { from: query.from, to: query.to, after: query.after },
        query.limit === undefined ? DEFAULT_GROUP_LIMIT : Number(query.limit),
      ),
    );
  }

  @Get('purchases')
  @Header('Content-Type', JSON_CONTENT_TYPE)
  @RequireScope('finance')
  @ApiOperation({
    summary: 'Purchases, credits and revenue (minor units per currency) per day or pack',
    description: 'Scope finance or admin. Projected; whole UTC days; with the previous period.',
  })
  @ApiOkResponse({ type: AnalyticsResponse })
  @ApiResponse({
    status: 400,
    description: 'validation_failed: a bad period (over 2 years) or groupBy',
  })
  purchases(@Query() query: PurchasesQuery): Promise<AnalyticsJson> {
    return this.queryBus.execute(
      new GetPurchases(query.groupBy ?? 'day', {
        from: query.from,
        to: query.to,
        after: query.after,
      }),
    );
  }
}
