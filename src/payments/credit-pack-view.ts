import type { CreditPack } from './catalog/credit-pack';
import { isOnSale } from './catalog/credit-pack';
import type { CatalogState } from './catalog/catalog-state';
import { savingsPercent, smallestPackByCurrency } from './catalog/savings';
import type { CreditPackDto } from './credit-pack.dto';

/** The packs on sale at `now`, in catalog order (the order they were created). */
export function packsOnSale(state: CatalogState, now: Date): CreditPack[] {
  return [...state.packs.values()].map(({ pack }) => pack).filter((pack) => isOnSale(pack, now));
}

/**
 * Packs as the API shows them, each with its saving against the smallest pack **on sale** in its
 * currency (also for packs that are not on sale, in an admin's view). Optional values the pack does
 * not have are left out rather than null, as before the catalog was editable.
 */
export function packViews(
  packs: readonly CreditPack[],
  state: CatalogState,
  now: Date,
): CreditPackDto[] {
  const smallest = smallestPackByCurrency(packsOnSale(state, now));
  return packs.map((pack) => ({
    packId: pack.packId,
    name: pack.name,
    credits: pack.credits,
    bonusCredits: pack.bonusCredits,
    price: { minor: pack.price.minor, currency: pack.price.currency },
    ...(pack.stripePriceId !== null && { stripePriceId: pack.stripePriceId }),
    popular: pack.popular,
    active: pack.active,
    ...(pack.availableFrom !== null && { availableFrom: pack.availableFrom }),
    ...(pack.availableUntil !== null && { availableUntil: pack.availableUntil }),
    ...(pack.expiresAfterDays !== null && { expiresAfterDays: pack.expiresAfterDays }),
    savingsPercent: savingsPercent(pack, smallest.get(pack.price.currency)),
  }));
}
