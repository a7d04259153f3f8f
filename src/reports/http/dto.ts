import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  buildMessage,
} from 'class-validator';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import {
  PURCHASES_GROUP_BYS,
  USAGE_GROUP_BYS,
  type PurchasesGroupBy,
  type UsageGroupBy,
} from '../analytics/analytics-rows';
import { isInstantOrDate } from '../period';

export const DEFAULT_GROUP_LIMIT = 100;
export const MAX_GROUP_LIMIT = 1_000;

/** An ISO-8601 instant with its offset, or a date (midnight UTC). */
function IsInstantOrDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstantOrDate',
    validator: {
      validate: (value: unknown) => isInstantOrDate(value),
      defaultMessage: buildMessage(
        () =>
          'must be an ISO-8601 instant with an offset (2026-03-01T00:00:00Z) or a date (2026-03-01, midnight UTC)',
      ),
    },
  });
}

const FROM_DOC = {
  description:
    'Start, inclusive: an ISO-8601 instant or a date (midnight UTC). Default: 30 days before `to`',
  example: '2026-02-01',
};
const TO_DOC = {
  description:
    'End, exclusive: an ISO-8601 instant or a date. Default: now. At most 2 years after `from`',
  example: '2026-03-01',
};

/** The period every report takes (API.md "Reports"). Query parameters arrive as strings. */
export class PeriodQuery {
  @ApiPropertyOptional(FROM_DOC)
  @IsOptional()
  @IsInstantOrDate()
  from?: string;

  @ApiPropertyOptional(TO_DOC)
  @IsOptional()
  @IsInstantOrDate()
  to?: string;
}

export class AnalyticsQueryBase extends PeriodQuery {
  @ApiPropertyOptional({
    description: "A write's `position`: wait (bounded) until the analytics include it",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

export class UsageQuery extends AnalyticsQueryBase {
  @ApiPropertyOptional({ enum: USAGE_GROUP_BYS, default: 'day' })
  @IsOptional()
  @IsIn(USAGE_GROUP_BYS, { message: `must be one of ${USAGE_GROUP_BYS.join(', ')}` })
  groupBy?: UsageGroupBy;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_GROUP_LIMIT,
    default: DEFAULT_GROUP_LIMIT,
    description:
      'groupBy account or member: the accounts (members) that used most, at most this many',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d{0,2}|1000)$/, {
    message: `must be an integer from 1 to ${MAX_GROUP_LIMIT}`,
  })
  limit?: string;
}

export class PurchasesQuery extends AnalyticsQueryBase {
  @ApiPropertyOptional({ enum: PURCHASES_GROUP_BYS, default: 'day' })
  @IsOptional()
  @IsIn(PURCHASES_GROUP_BYS, { message: `must be one of ${PURCHASES_GROUP_BYS.join(', ')}` })
  groupBy?: PurchasesGroupBy;
}

export class TransactionsExportQuery extends PeriodQuery {
  @ApiPropertyOptional({ description: 'Only this account', example: 'org:acme' })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, {
    message: 'must be 1–128 characters of A–Z a–z 0–9 . _ : @ -, and not . or ..',
  })
  accountId?: string;
}

class PeriodResponse {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
}

export class AnalyticsResponse {
  @ApiProperty() groupBy!: string;
  @ApiProperty({
    type: PeriodResponse,
    description:
      'The period answered: whole UTC days (from back to its midnight, to up to the next)',
  })
  period!: PeriodResponse;
  @ApiProperty({ type: PeriodResponse, description: 'The period of the same length just before' })
  previousPeriod!: PeriodResponse;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'One row per group (docs/reports.md): usage rows carry credits (net: spentCredits − refundedCredits), spentCredits, refundedCredits, spends, refunds; by day also activeAccounts and byOperation. Purchase rows carry purchases, credits, revenue [{ currency, amountMinor }], reversals, reversedCredits',
  })
  data!: unknown[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The same rows for previousPeriod',
  })
  previous!: unknown[];
}
