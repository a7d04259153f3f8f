import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  buildMessage,
  type ValidationArguments,
} from 'class-validator';
import { MAX_SIGNED_QUOTE_ID_LENGTH } from '../../pricing/quote-signer';

/**
 * The fields a spend, hold or quote names an operation or a quote with (PRODUCT.md §1, API.md
 * "Prices"), and the rule that a body pays in one way only: credits, an operation, or a quote.
 */
export const MAX_OPERATION_ID = 128;
/** A signed quote id carries the operation it prices (src/accounts/pricing/quote-signer.ts). */
export const MAX_QUOTE_ID = MAX_SIGNED_QUOTE_ID_LENGTH;
/** PRODUCT.md §1 "Bad input": quantities are integers 1…10⁹. */
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_DIMENSIONS = 20;
export const MAX_DIMENSION_TEXT = 64;

export function IsOperationId(required: boolean): PropertyDecorator {
  const doc = {
    maxLength: MAX_OPERATION_ID,
    example: 'video-export',
    description: 'An operationId of the current rate card; the server prices it',
  };
  return applyDecorators(
    required ? ApiProperty(doc) : ApiPropertyOptional(doc),
    ...(required ? [] : [IsOptional()]),
    IsString(),
    IsNotEmpty(),
    MaxLength(MAX_OPERATION_ID),
  );
}

export function IsQuantity(
  description = "How much of the operation's unit (seconds, calls, …); default 1",
): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: MIN_QUANTITY,
      maximum: MAX_QUANTITY,
      description,
    }),
    IsOptional(),
    IsInt({ message: 'must be a whole number' }),
    Min(MIN_QUANTITY, { message: `must be at least ${MIN_QUANTITY}` }),
    Max(MAX_QUANTITY, { message: `must be at most ${MAX_QUANTITY}` }),
  );
}

/** A flat map of known strings: `{ resolution: '4k' }`. */
export function IsDimensions(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: { type: 'string' },
      example: { resolution: '4k' },
      description: 'The value of each dimension the operation prices by',
    }),
    IsOptional(),
    ValidateBy({
      name: 'isDimensions',
      validator: {
        validate: (value: unknown) => isDimensions(value),
        defaultMessage: buildMessage(
          () =>
            `must be an object of at most ${MAX_DIMENSIONS} string values (keys and values 1–${MAX_DIMENSION_TEXT} characters)`,
        ),
      },
    }),
  );
}

export function isDimensions(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_DIMENSIONS &&
    entries.every(
      ([key, item]) =>
        key.length > 0 &&
        key.length <= MAX_DIMENSION_TEXT &&
        typeof item === 'string' &&
        item.length > 0 &&
        item.length <= MAX_DIMENSION_TEXT,
    )
  );
}

export function IsQuoteId(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      maxLength: MAX_QUOTE_ID,
      description: 'A quote of this account: pays exactly its credits, once, before it expires',
    }),
    IsOptional(),
    IsString(),
    IsNotEmpty(),
    MaxLength(MAX_QUOTE_ID),
  );
}

/** Refused when any of `others` is given too: a body pays with credits, an operation or a quote. */
export function NotWith(...others: string[]): PropertyDecorator {
  return ValidateBy({
    name: 'notWith',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        others.every((other) => (args?.object as Record<string, unknown>)[other] == null),
      defaultMessage: buildMessage(
        () => `cannot be given with ${others.join(' or ')}: a request pays in one way only`,
      ),
    },
  });
}

/** Refused unless `field` is given too (a quantity without an operation means nothing). */
export function OnlyWith(field: string): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWith',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (args?.object as Record<string, unknown>)[field] != null,
      defaultMessage: buildMessage(() => `is only allowed with ${field}`),
    },
  });
}
