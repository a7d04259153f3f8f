import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, ValidateBy, ValidateNested } from 'class-validator';
import {
  MAX_EXPIRES_AFTER_DAYS,
  MAX_PACK_CREDITS,
  MAX_PACK_NAME_LENGTH,
  MAX_PACK_PRICE_MINOR,
  MIN_PACK_CREDITS,
  MIN_PACK_PRICE_MINOR,
  PACK_RULES,
  windowProblem,
  type RuledField,
} from './catalog/pack-rules';
import { MoneyDto } from './dto';

/** A field checked by the catalog's own rule (pack-rules.ts), with the rule's message. */
function PackRule(field: RuledField): PropertyDecorator {
  const rule = PACK_RULES[field];
  return ValidateBy({
    name: `packRule:${field}`,
    validator: {
      validate: (value: unknown) => rule(value) === null,
      defaultMessage: (args) => rule(args?.value) ?? 'is not valid',
    },
  });
}

/** `availableUntil` after `availableFrom`: an empty window would hide the pack for good. */
function AfterAvailableFrom(): PropertyDecorator {
  return ValidateBy({
    name: 'afterAvailableFrom',
    validator: {
      validate: (value: unknown, args) =>
        windowProblem((args?.object as { availableFrom?: unknown }).availableFrom, value) === null,
      defaultMessage: () => 'must be after availableFrom',
    },
  });
}

export class PackPriceRequest {
  @ApiProperty({
    type: 'integer',
    minimum: MIN_PACK_PRICE_MINOR,
    maximum: MAX_PACK_PRICE_MINOR,
    example: 1990,
    description: "In the currency's minor unit (cents); Stripe's smallest charge is about 0.50 USD",
  })
  @PackRule('price.minor')
  minor!: number;

  @ApiProperty({ example: 'USD', description: 'ISO 4217, upper case' })
  @PackRule('price.currency')
  currency!: string;
}

/** Every field of a pack but its id (the id is in the path of a PUT). */
export class CreditPackFields {
  @ApiProperty({ maxLength: MAX_PACK_NAME_LENGTH, example: 'Bulk' })
  @PackRule('name')
  name!: string;

  @ApiProperty({
    type: 'integer',
    minimum: MIN_PACK_CREDITS,
    maximum: MAX_PACK_CREDITS,
    example: 2000,
  })
  @PackRule('credits')
  credits!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_PACK_CREDITS,
    default: 0,
    description: 'Extra credits bought with `credits` (one purchase grants both)',
  })
  @IsOptional()
  @PackRule('bonusCredits')
  bonusCredits?: number;

  @ApiProperty({ type: PackPriceRequest })
  @IsDefined()
  @ValidateNested()
  @Type(() => PackPriceRequest)
  price!: PackPriceRequest;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'price_1QbulkXYZ',
    description:
      'A Stripe Price (one-time, same amount and currency) Checkout charges; absent: inline price data',
  })
  @IsOptional()
  @PackRule('stripePriceId')
  stripePriceId?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @PackRule('popular')
  popular?: boolean;

  @ApiPropertyOptional({ default: true, description: 'false: not sold, not listed (as DELETE)' })
  @IsOptional()
  @PackRule('active')
  active?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '2026-12-01T00:00:00Z',
    description: 'On sale from this instant (inclusive)',
  })
  @IsOptional()
  @PackRule('availableFrom')
  availableFrom?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '2027-01-01T00:00:00Z',
    description: 'On sale until this instant (exclusive); after availableFrom',
  })
  @IsOptional()
  @PackRule('availableUntil')
  @AfterAvailableFrom()
  availableUntil?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: 'integer',
    minimum: 1,
    maximum: MAX_EXPIRES_AFTER_DAYS,
    description: 'Purchased credits expire this many days after the purchase; absent: never',
  })
  @IsOptional()
  @PackRule('expiresAfterDays')
  expiresAfterDays?: number | null;
}

/** POST /v1/credit-packs: a new pack. */
export class CreateCreditPackRequest extends CreditPackFields {
  @ApiProperty({
    example: 'bulk',
    description: 'Chosen by the admin: 1–64 characters of a–z 0–9 -',
  })
  @PackRule('packId')
  packId!: string;
}

/** PUT /v1/credit-packs/{packId}: the whole pack (fields left out take their defaults). */
export class PutCreditPackRequest extends CreditPackFields {
  @ApiPropertyOptional({ description: 'If given, the same as the path’s packId' })
  @IsOptional()
  packId?: string;
}

export class CreditPackDto {
  @ApiProperty({ example: 'standard' })
  packId!: string;

  @ApiProperty({ example: 'Standard' })
  name!: string;

  @ApiProperty({ example: 275 })
  credits!: number;

  @ApiProperty({ example: 0, description: 'A purchase grants credits + bonusCredits' })
  bonusCredits!: number;

  @ApiProperty({ type: MoneyDto })
  price!: MoneyDto;

  @ApiPropertyOptional({ description: 'The Stripe Price Checkout charges, when the pack has one' })
  stripePriceId?: string;

  @ApiProperty()
  popular!: boolean;

  @ApiProperty({ description: 'false once retired (only in ?include=inactive and admin answers)' })
  active!: boolean;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00.000Z' })
  availableFrom?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00.000Z' })
  availableUntil?: string;

  @ApiPropertyOptional({
    description: 'Purchased credits expire this many days after purchase; absent: never',
  })
  expiresAfterDays?: number;

  @ApiProperty({
    example: 9,
    description:
      'How much less a credit costs than in the smallest pack on sale of the same currency (fewest credits, bonus included); integer percent, rounded down; 0 for the smallest pack',
  })
  savingsPercent!: number;
}

export class CreditPackListResponse {
  @ApiProperty({ type: [CreditPackDto] })
  data!: CreditPackDto[];
}

export class CreditPackChangeResponse extends CreditPackDto {
  @ApiProperty({ description: "The catalog's revision after the change" })
  revision!: number;

  @ApiPropertyOptional({
    description: 'Global log position of the change; absent when nothing changed',
  })
  position?: string;
}

export class CatalogActorDto {
  @ApiProperty({ enum: ['admin', 'apiKey', 'system'] })
  kind!: string;

  @ApiProperty({ example: 'ops', description: 'The API key name, or catalog-seed' })
  id!: string;
}

export class CreditPackHistoryEntryDto {
  @ApiProperty({ description: "The catalog's revision this change made" })
  revision!: number;

  @ApiProperty({ enum: ['CreditPackSaved', 'CreditPackRetired'] })
  type!: string;

  @ApiProperty({ example: '2026-11-30T09:00:00.000Z' })
  occurredAt!: string;

  @ApiProperty({ type: CatalogActorDto })
  actor!: CatalogActorDto;

  @ApiProperty({ description: 'The request id of the change (catalog-seed for the seed)' })
  requestId!: string;

  @ApiProperty({ type: [String], description: 'The fields this change changed' })
  changed!: string[];

  @ApiProperty({ description: 'The pack as this change left it' })
  pack!: Record<string, unknown>;
}

export class CreditPackHistoryResponse {
  @ApiProperty({ type: [CreditPackHistoryEntryDto] })
  data!: CreditPackHistoryEntryDto[];
}
