import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  IsInt,
  IsNotEmpty,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  buildMessage,
  isISO8601,
} from 'class-validator';
import { MAX_COMMAND_CREDITS, MIN_COMMAND_CREDITS } from '../../ledger/limits';

/** A credits amount: an integer from 1 to 1,000,000,000,000 (LEDGER.md "Amounts and time"). */
export function IsCredits(options: Partial<ApiPropertyOptions> = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'integer',
      minimum: MIN_COMMAND_CREDITS,
      maximum: MAX_COMMAND_CREDITS,
      example: 10,
      ...options,
    } as ApiPropertyOptions),
    IsInt({ message: 'must be a whole number of credits' }),
    Min(MIN_COMMAND_CREDITS, { message: `must be at least ${MIN_COMMAND_CREDITS}` }),
    Max(MAX_COMMAND_CREDITS, { message: `must be at most ${MAX_COMMAND_CREDITS}` }),
  );
}

/** The longest description or operator's reason the ledger keeps (the console's forms say the same). */
export const MAX_DESCRIPTION = 500;

/**
 * An operator's reason, as typed (refund, adjust down, release, merge): a non-empty string of at
 * most MAX_DESCRIPTION characters. An optional one may be left out, but not sent as null.
 */
export function IsReason(options: { required: boolean; example: string; description?: string }) {
  const { required, ...docs } = options;
  return applyDecorators(
    ApiProperty({ maxLength: MAX_DESCRIPTION, required, ...docs }),
    ...(required ? [] : [ValidateIf((_body: object, value: unknown) => value !== undefined)]),
    IsString(),
    IsNotEmpty(),
    MaxLength(MAX_DESCRIPTION),
  );
}

export const MAX_DETAIL_ENTRIES = 20;
export const MAX_DETAIL_KEY_LENGTH = 64;
export const MAX_DETAIL_VALUE_LENGTH = 500;

/** Caller metadata: a flat object of at most 20 string values, small keys and values. */
export function IsStringDetails(): PropertyDecorator {
  return ValidateBy({
    name: 'isStringDetails',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const entries = Object.entries(value);
        return (
          entries.length <= MAX_DETAIL_ENTRIES &&
          entries.every(
            ([key, item]) =>
              key.length > 0 &&
              key.length <= MAX_DETAIL_KEY_LENGTH &&
              typeof item === 'string' &&
              item.length <= MAX_DETAIL_VALUE_LENGTH,
          )
        );
      },
      defaultMessage: buildMessage(
        () =>
          `must be an object of at most ${MAX_DETAIL_ENTRIES} string values (keys ≤ ${MAX_DETAIL_KEY_LENGTH}, values ≤ ${MAX_DETAIL_VALUE_LENGTH} characters)`,
      ),
    },
  });
}

/** An instant with a time and an offset (2026-03-01T00:00:00Z, …+02:00): no bare dates, no local times. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      // isISO8601 strict also refuses impossible dates (2026-02-30) that Date.parse would roll over.
      validate: (value: unknown) =>
        typeof value === 'string' &&
        ISO_INSTANT.test(value) &&
        isISO8601(value, { strict: true, strictSeparator: true }),
      defaultMessage: buildMessage(
        () => 'must be an ISO-8601 instant with an offset, such as 2026-03-01T00:00:00Z',
      ),
    },
  });
}
