import { MAX_COMMAND_CREDITS } from '../../ledger/limits';

/**
 * What a publishable rate card may hold (validate-card.ts). Every limit keeps a card small enough
 * to price from memory on the spend path and every price exact in integers (price.ts).
 */

/** Operations on one card (issue 13: more is a 400). */
export const MAX_OPERATIONS = 1_000;
/** Lower-case, digits and dashes, starting with a letter or digit: safe in URLs, logs and field paths. */
export const OPERATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const MAX_NAME_LENGTH = 100;
export const MAX_UNIT_LENGTH = 32;
/** base, perUnit, minimum and minimumAvailable: a price is a spendable amount (LEDGER.md). */
export const MAX_CARD_CREDITS = MAX_COMMAND_CREDITS;
/** A unit is at most this much quantity: quantities are 1 … 10⁹ (issue 13). */
export const MAX_UNIT_SIZE = 1_000_000_000;
/** Dimensions one operation prices (`resolution`, `complexity`). */
export const MAX_DIMENSIONS = 8;
/** Values one dimension knows (`720p`, `1080p`, `4k`). */
export const MAX_VALUES_PER_DIMENSION = 50;
/**
 * Dimension names and values: letters, digits, `_` and `-`. No dot, so that a field path such as
 * `operations[2].pricing.multiplier.resolution.4k` names exactly one factor.
 */
export const DIMENSION_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
export const DIMENSION_VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
/** Factors are exact in thousandths (PRODUCT.md §1): 0.001 … 1,000. */
export const FACTOR_DECIMALS = 3;
export const MAX_FACTOR = 1_000;
/** At most this many problems are listed for one card; the last entry says how many more there were. */
export const MAX_REPORTED_PROBLEMS = 1_000;
