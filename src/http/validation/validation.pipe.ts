import {
  ValidationPipe,
  type ArgumentMetadata,
  type Type,
  type ValidationError,
} from '@nestjs/common';
import { HttpProblemException } from '../errors/http-problem.exception';
import { validationProblem, type FieldError } from '../errors/problem';
import { escapeUnstorableText } from '../../shared/storable-text';
import type { FastBodyCheck } from './fast-body-check';
import { storableTextErrors } from './storable-text.check';

/** The fast check of each DTO class that has one (src/http/validation/fast-body-checks.ts). */
export type FastBodyCheckLookup = ReadonlyMap<Type<unknown>, FastBodyCheck<object>>;

/**
 * DTO validation: unknown fields are rejected, nothing is coerced (a string "5" is not 5 credits),
 * and every bad field is named in `errors[]`, once. A body a fast check accepts skips
 * class-validator (same DTO out); every other body, and so every error, goes through the full
 * validation.
 *
 * Before any DTO rule, every string and key of every body, query and path parameter must be
 * storable text (src/shared/storable-text.ts): the one place that rule is applied to requests, so
 * no DTO field, metadata entry or query parameter can forget it.
 */
export class LedgerValidationPipe extends ValidationPipe {
  constructor(private readonly fastChecks: FastBodyCheckLookup) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      // The value is read to tell a missing field from a bad one; it is never put in a response.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new HttpProblemException(validationProblem(flatten(errors))),
    });
  }

  // Not async: every parameter of every request passes here; this spares a second promise each.
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check =
      metadata.type === 'body' && metadata.metatype
        ? this.fastChecks.get(metadata.metatype)
        : undefined;
    const dto = check?.(value);
    if (dto) return Promise.resolve(dto);
    const textErrors = storableTextErrors(value, metadata);
    if (textErrors.length === 0) return super.transform(value, metadata);
    // The DTO rules still run, so that every bad field is named at once; a field with bad text is
    // named for that alone.
    const refuse = (others: readonly FieldError[]) => {
      const named = new Set(textErrors.map((error) => error.field));
      throw new HttpProblemException(
        validationProblem([...textErrors, ...others.filter((error) => !named.has(error.field))]),
      );
    };
    return super.transform(value, metadata).then(
      () => refuse([]),
      (error: unknown) => {
        if (error instanceof HttpProblemException) refuse(error.problem.errors ?? []);
        throw error;
      },
    );
  }
}

export function createValidationPipe(
  fastChecks: FastBodyCheckLookup = new Map(),
): LedgerValidationPipe {
  return new LedgerValidationPipe(fastChecks);
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = escapeUnstorableText(parent ? `${parent}.${error.property}` : error.property);
    const message = oneMessage(error);
    const own = message === null ? [] : [{ field, message }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

// When several rules of a field fail, the first of these that failed says what is wrong: a string
// "10" for credits "must be a whole number of credits", not also "at least 1" and "at most …".
const FIRST_RULES = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isIn',
  'isEnum',
  'isNotEmpty',
];

/** One message per field: "is required" when it is missing, else the most telling failed rule. */
function oneMessage(error: ValidationError): string | null {
  const constraints = error.constraints ?? {};
  const failed = Object.keys(constraints);
  if (failed.length === 0) return null;
  if (error.value === undefined && !failed.includes('whitelistValidation')) return 'is required';
  const rule = FIRST_RULES.find((name) => failed.includes(name)) ?? failed[0];
  // Escaped: "property … should not exist" repeats the key as sent.
  return escapeUnstorableText(stripProperty(constraints[rule], error.property));
}

/** class-validator messages start with the property name; the field is already named. */
function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
