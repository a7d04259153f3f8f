import { isISO8601 } from 'class-validator';
import type { CreditPack } from './credit-pack';

/**
 * What a pack may be (docs/stripe.md "The pack catalog"): one rule per field, used both by the
 * request DTO (so a bad request names every bad field at once) and by the catalog's decision (so no
 * path around the HTTP layer can save a pack that breaks them).
 */

/** Ids of new packs (PRODUCT.md §1): lower case, digits and dashes, safe in a URL path as they are. */
export const PACK_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
/**
 * Ids CREDIT_PACKS has always accepted; packs seeded from it keep theirs, and the routes that name an
 * existing pack (PUT, DELETE, history) accept them so that such a pack can still be edited.
 */
export const SEEDED_PACK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_PACK_NAME_LENGTH = 100;
/** Credits and bonus credits of a pack: integers up to a billion (well inside a purchase's limit). */
export const MIN_PACK_CREDITS = 1;
export const MAX_PACK_CREDITS = 1_000_000_000;
/**
 * The smallest price: Stripe refuses charges under about 0.50 USD (50 minor units in USD and EUR;
 * its minimum-charge table has the others). 50 catches a price typed in units instead of cents;
 * a currency whose minimum is higher is refused by Stripe at checkout (503).
 */
export const MIN_PACK_PRICE_MINOR = 50;
/** Stripe's largest amount for a Checkout line item: eight digits of minor units. */
export const MAX_PACK_PRICE_MINOR = 99_999_999;
export const STRIPE_PRICE_ID_PATTERN = /^price_[A-Za-z0-9]{1,250}$/;
export const MAX_EXPIRES_AFTER_DAYS = 3650;
/** Packs on sale or waiting to be (active): a pricing page, not a product database. */
export const MAX_ACTIVE_PACKS = 100;
/** Packs ever created, retired ones included (they are never forgotten): bounds the catalog's state. */
export const MAX_CATALOG_PACKS = 1000;

type Rule = (value: unknown) => string | null;

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));
/** An instant with a time and an offset, as everywhere in the API (no bare dates, no local times). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const integerIn =
  (min: number, max: number, what: string): Rule =>
  (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? null
      : `must be ${what}: an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;

const nullable =
  (rule: Rule): Rule =>
  (value) =>
    value === null || value === undefined ? null : rule(value);

const isBoolean: Rule = (value) => (typeof value === 'boolean' ? null : 'must be true or false');

const isInstant: Rule = (value) =>
  typeof value === 'string' &&
  ISO_INSTANT.test(value) &&
  isISO8601(value, { strict: true, strictSeparator: true })
    ? null
    : 'must be an ISO-8601 instant with an offset, such as 2026-03-01T00:00:00Z';

/** One rule per field; `price.minor` and `price.currency` are named as the problem names them. */
export const PACK_RULES = {
  packId: (value: unknown) =>
    typeof value === 'string' && PACK_ID_PATTERN.test(value)
      ? null
      : 'must be 1–64 characters of a–z 0–9 -',
  name: (value: unknown) =>
    typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_PACK_NAME_LENGTH
      ? null
      : `must be a text of 1–${MAX_PACK_NAME_LENGTH} characters, not only spaces`,
  credits: integerIn(MIN_PACK_CREDITS, MAX_PACK_CREDITS, 'a whole number of credits'),
  bonusCredits: integerIn(0, MAX_PACK_CREDITS, 'a whole number of credits'),
  'price.minor': integerIn(
    MIN_PACK_PRICE_MINOR,
    MAX_PACK_PRICE_MINOR,
    "an amount in the currency's minor unit (cents)",
  ),
  'price.currency': (value: unknown) =>
    typeof value === 'string' && /^[A-Z]{3}$/.test(value) && ISO_4217.has(value)
      ? null
      : 'must be an ISO 4217 currency code in capitals, such as USD',
  stripePriceId: nullable((value) =>
    typeof value === 'string' && STRIPE_PRICE_ID_PATTERN.test(value)
      ? null
      : 'must be the id of a Stripe Price (price_…)',
  ),
  popular: isBoolean,
  active: isBoolean,
  availableFrom: nullable(isInstant),
  availableUntil: nullable(isInstant),
  expiresAfterDays: nullable(integerIn(1, MAX_EXPIRES_AFTER_DAYS, 'a number of days')),
} satisfies Record<string, Rule>;

export type RuledField = keyof typeof PACK_RULES;

/** The window's own rule: it must not be empty (the DTO names `availableUntil` for it). */
export function windowProblem(availableFrom: unknown, availableUntil: unknown): string | null {
  if (typeof availableFrom !== 'string' || typeof availableUntil !== 'string') return null;
  const from = Date.parse(availableFrom);
  const until = Date.parse(availableUntil);
  if (Number.isNaN(from) || Number.isNaN(until) || from < until) return null;
  return 'must be after availableFrom';
}

export interface PackProblem {
  field: string;
  message: string;
}

/**
 * Every rule a pack breaks, each field named once. `newId`: the id of a pack being created must
 * follow PACK_ID_PATTERN; an existing (seeded) pack keeps the id it has.
 */
export function packProblems(pack: CreditPack, options: { newId: boolean }): PackProblem[] {
  const values: Record<RuledField, unknown> = {
    packId: pack.packId,
    name: pack.name,
    credits: pack.credits,
    bonusCredits: pack.bonusCredits,
    'price.minor': pack.price.minor,
    'price.currency': pack.price.currency,
    stripePriceId: pack.stripePriceId,
    popular: pack.popular,
    active: pack.active,
    availableFrom: pack.availableFrom,
    availableUntil: pack.availableUntil,
    expiresAfterDays: pack.expiresAfterDays,
  };
  const problems: PackProblem[] = [];
  for (const [field, rule] of Object.entries(PACK_RULES) as Array<[RuledField, Rule]>) {
    if (field === 'packId' && !options.newId) continue;
    const message = rule(values[field]);
    if (message !== null) problems.push({ field, message });
  }
  const window = windowProblem(pack.availableFrom, pack.availableUntil);
  if (window !== null && !problems.some((problem) => problem.field === 'availableUntil'))
    problems.push({ field: 'availableUntil', message: window });
  return problems;
}
