import { ValidationPipe, type ArgumentMetadata, type Type, type ValidationError } from '@nestjs/common';
import { HttpProblemException } from '../errors/http-problem.exception';
import { validationProblem, type FieldError } from '../errors/problem';
import type { FastBodyCheck } from './fast-body-check';

/** The fast check of each DTO class that has one. */
export type FastBodyChecks = ReadonlyMap<Type<unknown>, FastBodyCheck<object>>;

/**
 * DTO validation: unknown fields are rejected, nothing is coerced (a string "5" is not 5 credits),
 * and every bad field is named in `errors[]`. A body a fast check accepts skips class-validator
 * (same DTO out); every other body, and so every error, goes through the full validation.
 */
export class LedgerValidationPipe extends ValidationPipe {
  constructor(private readonly fastChecks: FastBodyChecks) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new HttpProblemException(validationProblem(flatten(errors))),
    });
  }

  // Not async: every parameter of every request passes here; this spares a second promise each.
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = metadata.type === 'body' && metadata.metatype ? this.fastChecks.get(metadata.metatype) : undefined;
    const dto = check?.(value);
    return dto ? Promise.resolve(dto) : super.transform(value, metadata);
  }
}

export function createValidationPipe(fastChecks: FastBodyChecks = new Map()): LedgerValidationPipe {
  return new LedgerValidationPipe(fastChecks);
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: stripProperty(message, error.property) }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** class-validator messages start with the property name; the field is already named. */
function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
