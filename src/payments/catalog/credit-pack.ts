/**
 * A pack of the credit-pack catalog (PRODUCT.md §1, last bullet): plain data, as saved in the
 * catalog's events and answered by `GET /v1/credit-packs`. Money in minor units, instants as
 * ISO-8601 strings, absent optional values as null (never undefined: events are JSON).
 */
export interface PackPrice {
  /** Integer amount in the currency's minor unit (cents for USD). */
  minor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

export interface CreditPack {
  /** Chosen by the admin: `[a-z0-9-]{1,64}` (packs seeded from older CREDIT_PACKS may use `A-Z _`). */
  packId: string;
  name: string;
  credits: number;
  /** Extra credits bought with `credits` (a purchase grants both, in one paid block). */
  bonusCredits: number;
  price: PackPrice;
  /** A Stripe Price Checkout charges instead of inline price data; null for none. */
  stripePriceId: string | null;
  popular: boolean;
  /** False once retired (DELETE): never listed, never sold, still resolvable by older sessions. */
  active: boolean;
  /** On sale from this instant (inclusive); null: since always. */
  availableFrom: string | null;
  /** On sale until this instant (exclusive); null: for as long as it is active. */
  availableUntil: string | null;
  /** Purchased credits expire this many days after the purchase is credited; null: never. */
  expiresAfterDays: number | null;
}

/** What a purchase of the pack credits: its credits and its bonus. */
export function grantedCredits(pack: CreditPack): number {
  return pack.credits + pack.bonusCredits;
}

/** Why the pack cannot be bought at `now`, or null when it can (active, within its window). */
export function notOnSaleReason(pack: CreditPack, now: Date): string | null {
  if (!pack.active) return 'is not on sale (retired)';
  const nowMs = now.getTime();
  if (pack.availableFrom !== null && nowMs < Date.parse(pack.availableFrom))
    return `is not on sale before ${pack.availableFrom}`;
  if (pack.availableUntil !== null && nowMs >= Date.parse(pack.availableUntil))
    return `is no longer on sale (until ${pack.availableUntil})`;
  return null;
}

export function isOnSale(pack: CreditPack, now: Date): boolean {
  return notOnSaleReason(pack, now) === null;
}

const DAY_MS = 86_400_000;

/** When credits bought at `purchasedAt` expire, or undefined for packs whose credits never do. */
export function purchaseExpiresAt(pack: CreditPack, purchasedAt: Date): string | undefined {
  return pack.expiresAfterDays === null
    ? undefined
    : new Date(purchasedAt.getTime() + pack.expiresAfterDays * DAY_MS).toISOString();
}

/** The fields of a pack, in the order the API shows them (what an audit event says changed). */
export const PACK_FIELDS = [
  'name',
  'credits',
  'bonusCredits',
  'price',
  'stripePriceId',
  'popular',
  'active',
  'availableFrom',
  'availableUntil',
  'expiresAfterDays',
] as const satisfies ReadonlyArray<keyof CreditPack>;

export type PackField = (typeof PACK_FIELDS)[number];

/** The fields whose values differ between two versions of a pack. */
export function changedFields(before: CreditPack, after: CreditPack): PackField[] {
  return PACK_FIELDS.filter((field) =>
    field === 'price'
      ? before.price.minor !== after.price.minor || before.price.currency !== after.price.currency
      : before[field] !== after[field],
  );
}
