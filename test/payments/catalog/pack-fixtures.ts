import type { CreditPack } from '../../../src/payments/catalog/credit-pack';

/** A valid pack; tests change what they are about. */
export function aPack(overrides: Partial<CreditPack> = {}): CreditPack {
  return {
    packId: 'bulk',
    name: 'Bulk',
    credits: 2000,
    bonusCredits: 0,
    price: { minor: 1990, currency: 'USD' },
    stripePriceId: null,
    popular: false,
    active: true,
    availableFrom: null,
    availableUntil: null,
    expiresAfterDays: null,
    ...overrides,
  };
}
