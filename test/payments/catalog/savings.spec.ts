import fc from 'fast-check';
import { savingsPercent, smallestPackByCurrency } from '../../../src/payments/catalog/savings';
import { aPack } from './pack-fixtures';

const basic = aPack({ packId: 'basic', credits: 100, price: { minor: 1000, currency: 'USD' } });
const standard = aPack({
  packId: 'standard',
  credits: 275,
  price: { minor: 2500, currency: 'USD' },
});
const pro = aPack({ packId: 'pro', credits: 600, price: { minor: 5000, currency: 'USD' } });
const bulk = aPack({ packId: 'bulk', credits: 2000, price: { minor: 1990, currency: 'USD' } });

describe('savingsPercent', () => {
  it('measures the default catalog (and the 2,000-credit pack for 19.90 USD) against Basic', () => {
    const smallest = smallestPackByCurrency([basic, standard, pro, bulk]).get('USD');
    expect(smallest).toBe(basic);
    expect([basic, standard, pro, bulk].map((pack) => savingsPercent(pack, smallest))).toEqual([
      0, // the smallest pack itself
      9, // 9.09 ¢ a credit against 10 ¢
      16, // 8.33 ¢: 16.67 %
      90, // 0.995 ¢: 90.05 %
    ]);
  });

  it('counts the bonus as credits bought', () => {
    const withBonus = aPack({
      packId: 'plus',
      credits: 100,
      bonusCredits: 25,
      price: { minor: 1000, currency: 'USD' },
    });
    // 8 ¢ a credit against 10 ¢.
    expect(savingsPercent(withBonus, basic)).toBe(20);
  });

  it('rounds down, never claiming more than the pack saves', () => {
    // 1 − (2999/300)/(1000/100) = 0.0333… → 0 %, not 1 %.
    const almost = aPack({
      packId: 'almost',
      credits: 300,
      price: { minor: 2999, currency: 'USD' },
    });
    expect(savingsPercent(almost, basic)).toBe(0);
    // 1 − (1990/200)/(1000/100) = 0.005 → 0.
    expect(
      savingsPercent(aPack({ credits: 200, price: { minor: 1990, currency: 'USD' } }), basic),
    ).toBe(0);
  });

  it('is 0 for a worse deal, another currency, or no smallest pack', () => {
    const worse = aPack({ credits: 200, price: { minor: 3000, currency: 'USD' } });
    expect(savingsPercent(worse, basic)).toBe(0);
    expect(savingsPercent(aPack({ price: { minor: 1990, currency: 'EUR' } }), basic)).toBe(0);
    expect(savingsPercent(bulk, undefined)).toBe(0);
  });

  it('takes the smallest pack per currency: fewest credits (bonus included), then cheaper, then packId', () => {
    const eurSmall = aPack({
      packId: 'eur-small',
      credits: 50,
      price: { minor: 600, currency: 'EUR' },
    });
    const eurTwin = aPack({
      packId: 'eur-twin',
      credits: 40,
      bonusCredits: 10,
      price: { minor: 500, currency: 'EUR' },
    });
    const smallest = smallestPackByCurrency([bulk, eurSmall, basic, eurTwin]);
    expect(smallest.get('USD')).toBe(basic);
    expect(smallest.get('EUR')).toBe(eurTwin);
    const a = aPack({ packId: 'a', credits: 10, price: { minor: 100, currency: 'GBP' } });
    const b = aPack({ packId: 'b', credits: 10, price: { minor: 100, currency: 'GBP' } });
    expect(smallestPackByCurrency([b, a]).get('GBP')).toBe(a);
  });

  it('stays exact at the largest credits and prices (no float drift)', () => {
    const tiny = aPack({ credits: 1, price: { minor: 99_999_999, currency: 'USD' } });
    const huge = aPack({
      credits: 1_000_000_000,
      bonusCredits: 1_000_000_000,
      price: { minor: 50, currency: 'USD' },
    });
    expect(savingsPercent(huge, tiny)).toBe(99);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.integer({ min: 50, max: 99_999_999 }),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.integer({ min: 50, max: 99_999_999 }),
        (smallCredits, smallPrice, credits, price) => {
          const smallest = aPack({
            credits: smallCredits,
            price: { minor: smallPrice, currency: 'USD' },
          });
          const pack = aPack({ credits, price: { minor: price, currency: 'USD' } });
          const percent = savingsPercent(pack, smallest);
          // The reference: the largest integer p with p/100 ≤ 1 − (price/credits)/(smallPrice/smallCredits),
          // i.e. p·smallPrice·credits ≤ 100·(smallPrice·credits − price·smallCredits), in exact integers.
          const margin =
            BigInt(smallPrice) * BigInt(credits) - BigInt(price) * BigInt(smallCredits);
          const scale = BigInt(smallPrice) * BigInt(credits);
          if (margin <= 0n) return percent === 0;
          return (
            BigInt(percent) * scale <= 100n * margin && BigInt(percent + 1) * scale > 100n * margin
          );
        },
      ),
    );
  });
});
