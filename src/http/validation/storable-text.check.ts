import type { ArgumentMetadata } from '@nestjs/common';
import {
  MAX_TEXT_CHECK_VALUES,
  UNSTORABLE_TEXT_MESSAGE,
  findUnstorableText,
} from '../../shared/storable-text';
import type { FieldError } from '../errors/problem';

/**
 * The storable-text rule (src/shared/storable-text.ts) on one argument of a route: a body, the
 * query parameters, or a path parameter. One error per string or key that breaks it, named by its
 * path (`description`, `metadata.note`, `cursor`, `accountId`). Arguments of custom decorators
 * (the request itself, the raw webhook body) are not request data of a DTO and are left alone.
 */
export function storableTextErrors(value: unknown, metadata: ArgumentMetadata): FieldError[] {
  if (metadata.type === 'custom') return [];
  const whole = metadata.type === 'param' ? 'path' : metadata.type;
  const { paths, complete } = findUnstorableText(value, metadata.data ?? '');
  const errors = paths.map((path) => ({
    field: path === '' ? whole : path,
    message: UNSTORABLE_TEXT_MESSAGE,
  }));
  if (!complete)
    errors.push({
      field: metadata.data ?? whole,
      message: `has more than ${MAX_TEXT_CHECK_VALUES} values`,
    });
  return errors;
}
