import type { RateCard } from './rate-card';

/**
 * A card is shared by every quote and spend priced with it (the cache hands out one object per
 * version): frozen, so no caller can change a price for the others.
 */
export function freezeCard(card: RateCard): RateCard {
  return deepFreeze(card);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
