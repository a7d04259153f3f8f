import { grantedCredits, type CreditPack } from './credit-pack';

/**
 * "Save N %" (PRODUCT.md §1: volume discounts are packs with more credits per dollar). A pack's
 * saving is how much less one credit costs in it than in the **smallest pack** of its currency:
 * the pack on sale with the fewest credits (bonus included), ties to the cheaper one, then to the
 * smaller packId. Credits include the bonus, since the buyer gets both for the price.
 *
 *   savingsPercent = floor(100 × (1 − (price / credits) / (smallestPrice / smallestCredits)))
 *
 * computed in integers (BigInt: credits up to 10⁹ times prices up to 10⁸ do not fit a double
 * exactly), rounded down so a pack never claims more than it saves; 0 for the smallest pack itself,
 * for a pack that is no better a deal, and when its currency has no pack on sale to compare with.
 */
export function savingsPercent(pack: CreditPack, smallest: CreditPack | undefined): number {
  if (!smallest || smallest.price.currency !== pack.price.currency) return 0;
  const credits = BigInt(grantedCredits(pack));
  const smallestCredits = BigInt(grantedCredits(smallest));
  // 1 − (p/c)/(sp/sc) = (sp·c − p·sc) / (sp·c)
  const denominator = BigInt(smallest.price.minor) * credits;
  const numerator = denominator - BigInt(pack.price.minor) * smallestCredits;
  if (numerator <= 0n || denominator === 0n) return 0;
  return Number((100n * numerator) / denominator);
}

/** The smallest pack of each currency among `onSale` (see savingsPercent). */
export function smallestPackByCurrency(onSale: readonly CreditPack[]): Map<string, CreditPack> {
  const smallest = new Map<string, CreditPack>();
  for (const pack of onSale) {
    const current = smallest.get(pack.price.currency);
    if (!current || isSmaller(pack, current)) smallest.set(pack.price.currency, pack);
  }
  return smallest;
}

function isSmaller(a: CreditPack, b: CreditPack): boolean {
  const credits = grantedCredits(a) - grantedCredits(b);
  if (credits !== 0) return credits < 0;
  if (a.price.minor !== b.price.minor) return a.price.minor < b.price.minor;
  return a.packId < b.packId;
}
