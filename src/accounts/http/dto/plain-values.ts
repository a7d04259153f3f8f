import { MAX_COMMAND_CREDITS, MIN_COMMAND_CREDITS } from '../../../ledger/limits';
import { isStorableText } from '../../../shared/storable-text';
import {
  MAX_DIMENSION_TEXT,
  MAX_DIMENSIONS,
  MAX_OPERATION_ID,
  MAX_QUANTITY,
  MIN_QUANTITY,
} from './charge-fields';

/**
 * What the fast body checks accept as plainly valid: each is at least as strict as the DTO rule
 * it stands for, so a value these accept the full validation accepts too (docs/performance.md).
 */

/** A whole number of credits a command may carry (IsCredits). */
export function isCommandCredits(value: unknown): value is number {
  return isWholeNumberIn(value, MIN_COMMAND_CREDITS, MAX_COMMAND_CREDITS);
}

export function isQuantity(value: unknown): value is number {
  return isWholeNumberIn(value, MIN_QUANTITY, MAX_QUANTITY);
}

function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** `{ resolution: '4k' }`: a few short, storable strings under short, storable keys. */
export function isPlainDimensions(value: unknown): value is Record<string, string> {
  if (!isPlainObject(value)) return false;
  let count = 0;
  for (const key in value) {
    count += 1;
    if (count > MAX_DIMENSIONS || key === '__proto__') return false;
    if (!isShortString(key, MAX_DIMENSION_TEXT) || !isShortString(value[key], MAX_DIMENSION_TEXT))
      return false;
  }
  return true;
}

/** What JSON.parse makes of {…}: not an array, a Buffer or any class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype !== null && Object.getPrototypeOf(prototype) === null;
}

/** Every key of `body` is one of `keys`: an unknown key sends a body to the full validation. */
export function hasOnlyKeys(body: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key in body) if (!keys.includes(key)) return false;
  return true;
}

/** Non-empty, at most maxLength UTF-16 units, and storable (one regex test: the pipe's text rule). */
export function isShortString(value: unknown, maxLength: number): boolean {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= maxLength &&
    isStorableText(value)
  );
}

/** The operation part of a priced body, as both priced fast checks read it. */
export interface PlainOperationRequest {
  operation?: string;
  quantity?: number;
  dimensions?: Record<string, string>;
}

/**
 * Copies `operation`, `quantity?` and `dimensions?` of `body` into `request` when each is plainly
 * valid; false (and `request` half-filled, to be dropped) when any is not.
 */
export function copyPlainOperationRequest(
  body: Record<string, unknown>,
  request: PlainOperationRequest,
): boolean {
  const { operation, quantity, dimensions } = body;
  if (!isShortString(operation, MAX_OPERATION_ID)) return false;
  request.operation = operation as string;
  if (Object.hasOwn(body, 'quantity')) {
    if (!isQuantity(quantity)) return false;
    request.quantity = quantity;
  }
  if (Object.hasOwn(body, 'dimensions')) {
    if (!isPlainDimensions(dimensions)) return false;
    request.dimensions = { ...dimensions };
  }
  return true;
}
