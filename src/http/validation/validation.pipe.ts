import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { HttpProblemException } from '../errors/http-problem.exception';
import { validationProblem, type FieldError } from '../errors/problem';

/**
 * DTO validation: unknown fields are rejected, nothing is coerced (a string "5" is not 5 credits),
 * and every bad field is named in `errors[]`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new HttpProblemException(validationProblem(flatten(errors))),
  });
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
