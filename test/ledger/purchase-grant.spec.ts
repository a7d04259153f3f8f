import type { GrantCredits, PurchaseCredits } from '../../src/ledger';
import { MAX_BALANCE_CREDITS } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, T0, after, granted, purchased, reserved } from './fixtures';

const purchase = (overrides: Partial<PurchaseCredits> = {}): PurchaseCredits => ({
  kind: 'purchase', blockId: 'b1', purchaseId: 'pur-b1', credits: 100, amountPaid: { minor: 1000, currency: 'USD' },
  provider: 'stripe', providerRef: 'pi_b1', ...overrides,
});

const grant = (overrides: Partial<GrantCredits> = {}): GrantCredits => ({
  kind: 'grant', blockId: 'g1', credits: 25, category: 'promotional', reason: 'signup', ...overrides,
});

describe('purchase', () => {
  it('creates a paid block', () => {
    given().when(purchase(), { now: T0 }).then(purchased('b1', 100));
  });

  it('keeps packId and a canonical expiresAt', () => {
    given()
      .when(purchase({ packId: 'pro', expiresAt: '2027-01-01T02:00:00+02:00' }), { now: T0 })
      .then(purchased('b1', 100, { packId: 'pro', expiresAt: '2027-01-01T00:00:00.000Z' }));
  });

  it('is a noop for a providerRef the account already has, whatever the rest says', () => {
    given(purchased('b1', 100))
      .when(purchase({ blockId: 'b2', purchaseId: 'pur-b2', credits: 999 }), { now: after(HOUR) })
      .thenNoop({ reason: 'duplicate_purchase', purchaseId: 'pur-b1', blockId: 'b1' });
  });

  it('is a noop for a replayed providerRef forever, long after any idempotency key is forgotten', () => {
    given(purchased('b1', 100, { at: T0 }))
      .when(purchase(), { now: after(400 * DAY) })
      .thenNoop({ reason: 'duplicate_purchase', purchaseId: 'pur-b1', blockId: 'b1' });
  });

  it('writes nothing on a noop, not even expiry that is due', () => {
    const decision = given(purchased('b1', 100), granted('g1', 5, { expiresAt: after(DAY) }))
      .when(purchase(), { now: after(2 * DAY) }).decision;
    expect(decision).toEqual({ kind: 'noop', reason: 'duplicate_purchase', purchaseId: 'pur-b1', blockId: 'b1' });
  });

  it('refuses an expiresAt that is not in the future', () => {
    given().when(purchase({ expiresAt: T0 }), { now: T0 }).thenRejects({ code: 'invalid_expiry', expiresAt: T0 });
  });

  it('refuses to push the total above MAX_BALANCE_CREDITS', () => {
    given(purchased('big', MAX_BALANCE_CREDITS - 50))
      .when(purchase({ credits: 51 }), { now: T0 })
      .thenRejects({ code: 'balance_limit', limit: MAX_BALANCE_CREDITS });
  });

  it('allows reaching MAX_BALANCE_CREDITS exactly', () => {
    given(purchased('big', MAX_BALANCE_CREDITS - 50))
      .when(purchase({ credits: 50, amountPaid: { minor: 500, currency: 'USD' } }), { now: T0 })
      .then(purchased('b1', 50));
  });
});

describe('grant', () => {
  it('creates a block of the given category', () => {
    given()
      .when(grant({ category: 'paid', reason: 'subscription', description: 'March' }), { now: T0 })
      .then(granted('g1', 25, { category: 'paid', reason: 'subscription', description: 'March' }));
  });

  it('records an expiry', () => {
    given()
      .when(grant({ expiresAt: after(30 * DAY) }), { now: T0 })
      .then(granted('g1', 25, { reason: 'signup', expiresAt: after(30 * DAY) }));
  });

  it('refuses an expiresAt in the past', () => {
    given().when(grant({ expiresAt: after(-1) }), { now: T0 }).thenRejects({ code: 'invalid_expiry' });
  });

  it('refuses an expiresAt that is not an instant', () => {
    given().when(grant({ expiresAt: 'soon' }), { now: T0 }).thenRejects({ code: 'invalid_expiry', expiresAt: 'soon' });
  });

  it('counts held credits towards the balance limit', () => {
    given(purchased('big', MAX_BALANCE_CREDITS - 50), reserved('r1', { big: 40 }, after(HOUR)))
      .when(grant({ credits: 51 }), { now: T0 })
      .thenRejects({ code: 'balance_limit' });
  });

  it('throws on a blockId that already exists: ids are the application\'s job', () => {
    expect(() => given(granted('g1', 5)).when(grant(), { now: T0 })).toThrow(/block g1 already exists/);
  });
});
