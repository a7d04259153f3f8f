import {
  DIMENSION_PATTERN,
  DIMENSION_VALUE_PATTERN,
  FACTOR_DECIMALS,
  MAX_CARD_CREDITS,
  MAX_DIMENSIONS,
  MAX_FACTOR,
  MAX_NAME_LENGTH,
  MAX_OPERATIONS,
  MAX_REPORTED_PROBLEMS,
  MAX_UNIT_LENGTH,
  MAX_UNIT_SIZE,
  MAX_VALUES_PER_DIMENSION,
  OPERATION_ID_PATTERN,
} from './card-limits';
import type { Multipliers, Operation, OperationPricing } from './rate-card';

/** One thing wrong with a card, named by its path: `operations[2].pricing.multiplier.resolution.4k`. */
export interface CardProblem {
  field: string;
  message: string;
}

export type CardValidation =
  { ok: true; operations: Operation[] } | { ok: false; problems: CardProblem[] };

const OPERATION_FIELDS = new Set(['operationId', 'name', 'unit', 'minimumAvailable', 'pricing']);
const PRICING_FIELDS = new Set(['base', 'perUnit', 'unitSize', 'minimum', 'multiplier']);
const SCALE = 10 ** FACTOR_DECIMALS;
/** Keys are quoted in field paths up to this many characters (a key can be as long as the body). */
const MAX_KEY_IN_PATH = 64;

/**
 * The operations of a card to publish, checked whole: EVERY problem is returned (so an admin fixes
 * them in one round), and the operations come back only when there is none, rebuilt with their
 * known fields alone (what `RateCardPublished` records). Pure: the HTTP layer has only checked
 * that `operations` is an array of objects, and that every string is storable text.
 */
export function validateOperations(input: unknown): CardValidation {
  const problems = new Problems();
  if (!Array.isArray(input)) {
    problems.add('operations', 'must be an array of operations');
    return problems.result();
  }
  if (input.length === 0) problems.add('operations', 'must list at least one operation');
  if (input.length > MAX_OPERATIONS) {
    // Nothing else is looked at: the card is refused whatever its operations say.
    problems.add('operations', `must list at most ${MAX_OPERATIONS} operations`);
    return problems.result();
  }
  const operations = input.map((item, index) =>
    checkOperation(item, `operations[${index}]`, problems),
  );
  checkUniqueIds(input, problems);
  return problems.count > 0
    ? problems.result()
    : { ok: true, operations: operations as Operation[] };
}

class Problems {
  private readonly listed: CardProblem[] = [];
  count = 0;

  add(field: string, message: string): void {
    this.count += 1;
    if (this.listed.length < MAX_REPORTED_PROBLEMS) this.listed.push({ field, message });
  }

  result(): CardValidation {
    const more = this.count - this.listed.length;
    const problems =
      more > 0
        ? [...this.listed, { field: 'operations', message: `and ${more} more problems` }]
        : this.listed;
    return { ok: false, problems };
  }
}

function checkOperation(item: unknown, path: string, problems: Problems): Operation | null {
  if (!isPlainObject(item)) {
    problems.add(path, 'must be an object');
    return null;
  }
  unknownFields(item, OPERATION_FIELDS, path, 'an operation', problems);
  const operationId = checkOperationId(item.operationId, `${path}.operationId`, problems);
  const name = checkText(item.name, `${path}.name`, MAX_NAME_LENGTH, problems);
  const unit = checkText(item.unit, `${path}.unit`, MAX_UNIT_LENGTH, problems);
  const minimumAvailable =
    item.minimumAvailable === undefined
      ? undefined
      : checkWhole(
          item.minimumAvailable,
          `${path}.minimumAvailable`,
          0,
          MAX_CARD_CREDITS,
          problems,
        );
  const pricing = checkPricing(item.pricing, `${path}.pricing`, problems);
  if (operationId === null || name === null || unit === null || pricing === null) return null;
  if (minimumAvailable === null) return null;
  return {
    operationId,
    name,
    unit,
    ...(minimumAvailable === undefined ? {} : { minimumAvailable }),
    pricing,
  };
}

function checkOperationId(value: unknown, field: string, problems: Problems): string | null {
  if (value === undefined) return refuse(problems, field, 'is required');
  if (typeof value !== 'string' || !OPERATION_ID_PATTERN.test(value)) {
    return refuse(
      problems,
      field,
      'must be 1–64 characters of a–z, 0–9 and -, starting with a letter or digit',
    );
  }
  return value;
}

function checkText(value: unknown, field: string, maxLength: number, problems: Problems) {
  if (value === undefined) return refuse(problems, field, 'is required');
  if (typeof value !== 'string') return refuse(problems, field, 'must be a string');
  if (value.trim().length === 0) return refuse(problems, field, 'must not be empty');
  if (value.length > maxLength)
    return refuse(problems, field, `must be at most ${maxLength} characters`);
  return value;
}

function checkPricing(value: unknown, path: string, problems: Problems): OperationPricing | null {
  if (value === undefined) return refuse(problems, path, 'is required');
  if (!isPlainObject(value)) return refuse(problems, path, 'must be an object');
  unknownFields(value, PRICING_FIELDS, path, 'pricing', problems);
  const base = checkWhole(value.base, `${path}.base`, 0, MAX_CARD_CREDITS, problems);
  const perUnit = checkWhole(value.perUnit, `${path}.perUnit`, 0, MAX_CARD_CREDITS, problems);
  const unitSize = checkWhole(value.unitSize, `${path}.unitSize`, 1, MAX_UNIT_SIZE, problems);
  const minimum = checkWhole(value.minimum, `${path}.minimum`, 0, MAX_CARD_CREDITS, problems);
  const multiplier =
    value.multiplier === undefined
      ? undefined
      : checkMultipliers(value.multiplier, `${path}.multiplier`, problems);
  if (base === null || perUnit === null || unitSize === null || minimum === null) return null;
  // A price of 0 cannot be spent (a spend is at least 1 credit); rounding up keeps every price of
  // a subtotal ≥ 1 at ≥ 1 whatever the factors.
  if (base === 0 && perUnit === 0 && minimum === 0) {
    return refuse(
      problems,
      path,
      'must charge something: at least one of base, perUnit and minimum must be 1 or more',
    );
  }
  if (multiplier === null) return null;
  return { base, perUnit, unitSize, minimum, ...(multiplier === undefined ? {} : { multiplier }) };
}

function checkMultipliers(value: unknown, path: string, problems: Problems): Multipliers | null {
  if (!isPlainObject(value))
    return refuse(problems, path, 'must be an object of dimensions, or left out');
  const dimensions = Object.entries(value);
  if (dimensions.length === 0)
    return refuse(problems, path, 'must name at least one dimension, or be left out');
  if (dimensions.length > MAX_DIMENSIONS)
    return refuse(problems, path, `must name at most ${MAX_DIMENSIONS} dimensions`);
  const multipliers: Multipliers = {};
  let valid = true;
  for (const [dimension, factors] of dimensions) {
    const field = `${path}.${inPath(dimension)}`;
    if (!DIMENSION_PATTERN.test(dimension)) {
      problems.add(
        field,
        'is not a valid dimension name: 1–32 characters of A–Z, a–z, 0–9, _ and -, starting with a letter',
      );
      valid = false;
    }
    const checked = checkFactors(factors, field, problems);
    if (checked === null) valid = false;
    else multipliers[dimension] = checked;
  }
  return valid ? multipliers : null;
}

function checkFactors(
  value: unknown,
  path: string,
  problems: Problems,
): Record<string, number> | null {
  if (!isPlainObject(value))
    return refuse(problems, path, 'must be an object of values and their factors');
  const values = Object.entries(value);
  if (values.length === 0) return refuse(problems, path, 'must list at least one value');
  if (values.length > MAX_VALUES_PER_DIMENSION)
    return refuse(problems, path, `must list at most ${MAX_VALUES_PER_DIMENSION} values`);
  const factors: Record<string, number> = {};
  let valid = true;
  for (const [name, factor] of values) {
    const field = `${path}.${inPath(name)}`;
    if (!DIMENSION_VALUE_PATTERN.test(name)) {
      problems.add(
        field,
        'is not a valid dimension value: 1–32 characters of A–Z, a–z, 0–9, _ and -, starting with a letter or digit',
      );
      valid = false;
    }
    const message = factorProblem(factor);
    if (message !== null) {
      problems.add(field, message);
      valid = false;
    } else factors[name] = factor as number;
  }
  return valid ? factors : null;
}

/** Why a factor is refused, or null: a number above 0, at most MAX_FACTOR, in whole thousandths. */
export function factorProblem(factor: unknown): string | null {
  const range = `must be a number above 0 and at most ${MAX_FACTOR} with at most ${FACTOR_DECIMALS} decimals`;
  if (typeof factor !== 'number' || !Number.isFinite(factor)) return range;
  if (factor <= 0 || factor > MAX_FACTOR) return range;
  // n / 1000 is correctly rounded, so it gives back exactly the double JSON parsed from a decimal
  // with at most 3 decimals, and never the double of any other number (1.0005, 0.1 + 0.2).
  if (Math.round(factor * SCALE) / SCALE !== factor) return range;
  return null;
}

function checkWhole(
  value: unknown,
  field: string,
  min: number,
  max: number,
  problems: Problems,
): number | null {
  if (value === undefined) return refuse(problems, field, 'is required');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return refuse(problems, field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function checkUniqueIds(items: unknown[], problems: Problems): void {
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    // An id that is not valid is named for that alone.
    if (!isPlainObject(item) || typeof item.operationId !== 'string') return;
    if (!OPERATION_ID_PATTERN.test(item.operationId)) return;
    const first = firstIndex.get(item.operationId);
    if (first === undefined) firstIndex.set(item.operationId, index);
    else
      problems.add(
        `operations[${index}].operationId`,
        `duplicates operations[${first}].operationId (${item.operationId})`,
      );
  });
}

function unknownFields(
  item: Record<string, unknown>,
  known: ReadonlySet<string>,
  path: string,
  what: string,
  problems: Problems,
): void {
  for (const key of Object.keys(item)) {
    if (!known.has(key)) problems.add(`${path}.${inPath(key)}`, `is not a field of ${what}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key as a field path shows it: whole code points, at most MAX_KEY_IN_PATH of them. */
function inPath(key: string): string {
  const points = Array.from(key);
  return points.length > MAX_KEY_IN_PATH ? `${points.slice(0, MAX_KEY_IN_PATH).join('')}…` : key;
}

function refuse(problems: Problems, field: string, message: string): null {
  problems.add(field, message);
  return null;
}
