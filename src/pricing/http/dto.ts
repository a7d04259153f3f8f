import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches } from 'class-validator';
import {
  MAX_CARD_CREDITS,
  MAX_DIMENSIONS,
  MAX_FACTOR,
  MAX_NAME_LENGTH,
  MAX_OPERATIONS,
  MAX_UNIT_LENGTH,
  MAX_UNIT_SIZE,
  MAX_VALUES_PER_DIMENSION,
} from '../rate-card/card-limits';
import type { Multipliers } from '../rate-card/rate-card';

/*
 * The operations of a card are described here for the OpenAPI document, and checked as a whole by
 * the decider (rate-card/validate-card.ts), which names every problem at once
 * (`operations[2].pricing.multiplier.resolution.4k`) and also checks what a class cannot say:
 * unique ids, dimension maps, factors in thousandths. So the request class checks only that
 * `operations` is a bounded array; the pipe has already checked every string and key is
 * storable text.
 */

export class OperationPricingDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_CARD_CREDITS,
    example: 0,
    description: 'Credits charged whatever the quantity',
  })
  base!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_CARD_CREDITS,
    example: 3,
    description: 'Credits per started unit (ceil(quantity / unitSize) units)',
  })
  perUnit!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_UNIT_SIZE,
    example: 60,
    description: 'Quantity per unit: 60 with a quantity in seconds prices per started minute',
  })
  unitSize!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_CARD_CREDITS,
    example: 5,
    description:
      'The least the operation costs before multipliers. One of base, perUnit, minimum must be at least 1.',
  })
  minimum!: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      additionalProperties: { type: 'number', minimum: 0.001, maximum: MAX_FACTOR },
    },
    example: { resolution: { '720p': 1, '1080p': 1.5, '4k': 4 } },
    description:
      `{ <dimension>: { <value>: <factor> } }: up to ${MAX_DIMENSIONS} dimensions of up to ${MAX_VALUES_PER_DIMENSION} values; ` +
      `names of letters, digits, _ and -; factors above 0, at most ${MAX_FACTOR}, with at most 3 decimals. ` +
      'A request must name a value for every dimension.',
  })
  multiplier?: Multipliers;
}

export class OperationDto {
  @ApiProperty({
    example: 'video-export',
    pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
    description: 'What products send to price it; unique on the card',
  })
  operationId!: string;

  @ApiProperty({ example: 'Video export', maxLength: MAX_NAME_LENGTH })
  name!: string;

  @ApiProperty({
    example: 'second',
    maxLength: MAX_UNIT_LENGTH,
    description: 'What quantity counts, for people: call, second, generation',
  })
  unit!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_CARD_CREDITS,
    example: 20,
    description: 'The operation cannot start unless this many credits are available',
  })
  minimumAvailable?: number;

  @ApiProperty({ type: OperationPricingDto })
  pricing!: OperationPricingDto;
}

export class PublishRateCardRequest {
  @ApiProperty({
    type: [OperationDto],
    minItems: 1,
    maxItems: MAX_OPERATIONS,
    description: 'The whole card: it replaces the current one',
  })
  @IsArray()
  @ArrayMaxSize(MAX_OPERATIONS, { message: `must list at most ${MAX_OPERATIONS} operations` })
  operations!: unknown[];
}

export class RateCardResponse {
  @ApiProperty({ example: 3, description: '0 is the default card, served until the first PUT' })
  version!: number;

  @ApiProperty({
    format: 'date-time',
    description: 'When this version took effect (the default card: 1970-01-01T00:00:00.000Z)',
  })
  publishedAt!: string;

  @ApiProperty({ type: [OperationDto] })
  operations!: OperationDto[];
}

/** Query parameters arrive as strings. */
export class RateCardQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'An older version (0: the default card); absent: the current card',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:0|[1-9]\d{0,14})$/, { message: 'must be a version: a whole number from 0' })
  version?: string;
}
