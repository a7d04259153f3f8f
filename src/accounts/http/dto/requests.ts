import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import type { BlockCategory, GrantReason } from '../../../ledger/events';
import {
  ACCOUNT_ID_PATTERN,
  DEFAULT_RESERVATION_TTL_SECONDS,
  MAX_COMMAND_CREDITS,
  MAX_RESERVATION_TTL_SECONDS,
} from '../../../ledger/limits';
import {
  IsCredits,
  IsInstant,
  IsReason,
  IsStringDetails,
  MAX_DESCRIPTION,
} from '../../../http/validation/ledger-validators';
import {
  IsDimensions,
  IsOperationId,
  IsQuantity,
  IsQuoteId,
  NotWith,
  OnlyWith,
} from './charge-fields';

export { MAX_DESCRIPTION };
export const MAX_REFERENCE = 200;
const MAX_ID = 200;
const GRANT_REASONS: GrantReason[] = [
  'signup',
  'subscription',
  'promotion',
  'referral',
  'compensation',
  'lead',
  'adjustment',
];
const CATEGORIES: BlockCategory[] = ['paid', 'promotional'];

export class CheckRequest {
  @IsCredits()
  credits!: number;
}

/** Credits are required unless the body names an operation or a quote instead. */
const paysCredits = (body: { credits?: unknown; operation?: unknown; quoteId?: unknown }) =>
  body.credits !== undefined || (body.operation == null && body.quoteId == null);

/**
 * PRODUCT.md §1: a spend or hold pays `credits`, or names an `operation` (with `quantity` and
 * `dimensions`) that the server prices at the current card, or a `quoteId`; one of the three.
 */
abstract class ChargeFields {
  @ValidateIf(paysCredits)
  @IsCredits({ required: false, description: 'Required unless operation or quoteId is given' })
  credits?: number;

  @IsOperationId(false)
  @NotWith('credits')
  operation?: string;

  @IsQuantity()
  @OnlyWith('operation')
  quantity?: number;

  @IsDimensions()
  @OnlyWith('operation')
  dimensions?: Record<string, string>;

  @IsQuoteId()
  @NotWith('credits', 'operation')
  quoteId?: string;
}

export class SpendRequest extends ChargeFields {
  @ApiPropertyOptional({
    maxLength: MAX_DESCRIPTION,
    example: 'Render 4K video',
    description: "Required with credits; by default, the operation's name",
  })
  @ValidateIf((body: SpendRequest) => body.credits !== undefined || body.description !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;

  @ApiPropertyOptional({
    maxLength: MAX_REFERENCE,
    description: 'Your own id for the operation (e.g. a job id)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REFERENCE)
  reference?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Up to 20 string values kept with the spend',
  })
  @IsOptional()
  @IsStringDetails()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    maxLength: 128,
    example: 'user:alice',
    description:
      "An organization pool's member spending from it (PRODUCT.md §3): refused unless a member (403 not_a_member) and within its limit (402 member_limit_exceeded)",
  })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, {
    message: 'must be a member id (1–128 characters of A–Z a–z 0–9 . _ : @ -)',
  })
  member?: string;
}

export class RefundRequest {
  @ApiProperty({ maxLength: MAX_ID })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ID)
  spendId!: string;

  @IsOptional()
  @IsCredits({ required: false, description: 'Default: all that is left of the spend' })
  credits?: number;

  @IsReason({ required: true, example: 'render failed' })
  reason!: string;
}

export class GrantRequest {
  @IsCredits()
  credits!: number;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category!: BlockCategory;

  @ApiProperty({ enum: GRANT_REASONS })
  @IsIn(GRANT_REASONS)
  reason!: GrantReason;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;
}

export class PurchaseRequest {
  @IsCredits()
  credits!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_COMMAND_CREDITS,
    description: "What was paid, in the currency's minor unit",
    example: 1000,
  })
  @IsInt({ message: 'must be a whole amount in minor units' })
  @Min(0)
  @Max(MAX_COMMAND_CREDITS)
  amountPaid!: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiProperty({
    maxLength: MAX_ID,
    description: "The payment's id at its provider; a purchase is recorded once per providerRef",
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_ID)
  providerRef!: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  packId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;
}

export class ReserveRequest extends ChargeFields {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_RESERVATION_TTL_SECONDS,
    default: DEFAULT_RESERVATION_TTL_SECONDS,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RESERVATION_TTL_SECONDS)
  ttlSeconds?: number;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;
}

export class CaptureRequest {
  @IsOptional()
  @IsCredits({ required: false, description: 'Default: all that is held' })
  credits?: number;

  @IsQuantity(
    "For a hold made by operation: the quantity actually used, priced at the hold's rate card version",
  )
  @NotWith('credits')
  quantity?: number;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;
}

/** An optional body: a release without one is recorded without a note, as before. */
export class ReleaseRequest {
  @IsReason({
    required: false,
    example: 'customer cancelled the job',
    description: "The operator's reason, recorded as the ReservationReleased event's `note`",
  })
  reason?: string;
}

/** API.md "Prices": `{ operation, quantity?, dimensions? }`. */
export class QuoteRequest {
  @IsOperationId(true)
  operation!: string;

  @IsQuantity()
  quantity?: number;

  @IsDimensions()
  dimensions?: Record<string, string>;
}

export class BalanceQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'The balance as it was at this instant',
  })
  @IsOptional()
  @IsInstant()
  at?: string;
}

/** The contract's cap for one adjustment (docs/api.md), below the ledger's command maximum. */
export const MAX_ADJUSTMENT_CREDITS = 1_000_000_000;

/** An admin's "adjust down": credits off the account, with the reason finance will read. */
export class AdjustmentRequest {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_ADJUSTMENT_CREDITS, example: 10 })
  @IsInt({ message: 'must be a whole number of credits' })
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_ADJUSTMENT_CREDITS, { message: `must be at most ${MAX_ADJUSTMENT_CREDITS}` })
  credits!: number;

  @IsReason({ required: true, example: 'duplicate grant, ticket 4211' })
  reason!: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;
}
