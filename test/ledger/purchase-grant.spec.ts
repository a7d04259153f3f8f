import type { GrantCreditsCommand, PurchaseCreditsCommand } from '../../src/ledger';
import { LedgerInvariantError, MAX_BALANCE_CREDITS, purchaseRefClaim } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, T0, after, granted, purchased, reserved, spent } from './fixtures';

const purchase = (overrides: Partial<PurchaseCreditsCommand> = {}): PurchaseCreditsCommand => ({
  kind: 'purchase',
  blockId: 'b1',
  purchaseId: 'pur-b1',
  credits: 100,
  amountPaid: { minor: 1000, currency: 'USD' },
  provider: 'stripe',
  providerRef: 'pi_b1',
  ...overrides,
});

const grant = (overrides: Partial<GrantCreditsCommand> = {}): GrantCreditsCommand => ({
  kind: 'grant',
  blockId: 'g1',
  credits: 25,
  category: 'promotional',
  reason: 'signup',
  ...overrides,
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

  describe('a providerRef the account already has', () => {
    const repeat = purchase({ blockId: 'b2', purchaseId: 'pur-b2' });

    it('with the same figures is the first purchase again: its ids, its revision and the account right after it', () => {
      given(granted('g1', 5), purchased('b1', 100), spent('s1', { g1: 5, b1: 30 }))
        .when(repeat, { now: after(HOUR) })
        .thenNoop({
          reason: 'duplicate_purchase',
          purchaseId: 'pur-b1',
          blockId: 'b1',
          revision: 1,
          balance: 105,
          available: 105,
          reserved: 0,
        });
    });

    it('counts a hold in the balance after it', () => {
      given(granted('g1', 50), reserved('h1', { g1: 20 }, after(DAY)), purchased('b1', 100))
        .when(repeat, { now: after(HOUR) })
        .thenNoop({ revision: 2, balance: 150, available: 130, reserved: 20 });
    });

    it('is the same purchase forever, long after any idempotency key is forgotten', () => {
      given(purchased('b1', 100, { at: T0 }))
        .when(purchase(), { now: after(400 * DAY) })
        .thenNoop({
          reason: 'duplicate_purchase',
          purchaseId: 'pur-b1',
          blockId: 'b1',
          revision: 0,
        });
    });

    it('does not compare packId or expiresAt (a Stripe redelivery computes its own expiry)', () => {
      given(purchased('b1', 100, { packId: 'basic', expiresAt: after(30 * DAY) }))
        .when(purchase({ purchaseId: 'pur-b2', packId: 'other', expiresAt: after(31 * DAY) }), {
          now: after(HOUR),
        })
        .thenNoop({ purchaseId: 'pur-b1' });
    });

    it.each<[string, Partial<PurchaseCreditsCommand>]>([
      ['other credits', { credits: 999 }],
      ['another amount', { amountPaid: { minor: 999, currency: 'USD' } }],
      ['another currency', { amountPaid: { minor: 1000, currency: 'EUR' } }],
      ['another provider', { provider: 'manual' }],
    ])('with %s is a purchase_conflict naming the first purchase', (_what, change) => {
      given(purchased('b1', 100))
        .when(purchase({ blockId: 'b2', purchaseId: 'pur-b2', ...change }), { now: after(HOUR) })
        .thenRejects({
          code: 'purchase_conflict',
          provider: change.provider ?? 'stripe',
          providerRef: 'pi_b1',
          purchaseId: 'pur-b1',
        });
    });

    it('writes nothing on a repeat, not even expiry that is due', () => {
      const decision = given(
        purchased('b1', 100),
        granted('g1', 5, { expiresAt: after(DAY) }),
      ).when(purchase(), { now: after(2 * DAY) }).decision;
      expect(decision).toEqual({
        kind: 'noop',
        reason: 'duplicate_purchase',
        purchaseId: 'pur-b1',
        blockId: 'b1',
        revision: 0,
        balance: 100,
        available: 100,
        reserved: 0,
      });
    });
  });

  describe('a providerRef another account holds (the event store refused its claim)', () => {
    const heldElsewhere = new Map([[purchaseRefClaim('stripe', 'pi_b1'), 'user-other']]);

    it('is a purchase_conflict, whatever the figures, and writes nothing', () => {
      given(granted('g1', 5, { expiresAt: after(DAY) }))
        .when(purchase(), { now: after(2 * DAY), purchaseRefsHeldElsewhere: heldElsewhere })
        .thenRejects({
          code: 'purchase_conflict',
          provider: 'stripe',
          providerRef: 'pi_b1',
          heldByAccountId: 'user-other',
        });
    });

    it('is held per provider: the same reference of another provider is a new purchase', () => {
      given()
        .when(purchase({ provider: 'manual' }), {
          now: T0,
          purchaseRefsHeldElsewhere: heldElsewhere,
        })
        .then(purchased('b1', 100, { providerRef: 'pi_b1' }, 'manual'));
    });

    it("does not change the answer to this account's own purchase of it", () => {
      given(purchased('b1', 100))
        .when(purchase({ purchaseId: 'pur-b2' }), {
          now: after(HOUR),
          purchaseRefsHeldElsewhere: heldElsewhere,
        })
        .thenNoop({ purchaseId: 'pur-b1' });
    });
  });

  it('claims a ledger-wide value named by provider and reference; providers are identifiers', () => {
    expect(purchaseRefClaim('stripe', 'pi_3Nx-9')).toBe('purchase-ref-stripe-pi_3Nx-9');
    expect(purchaseRefClaim('manual', 'pi_3Nx-9')).not.toBe(purchaseRefClaim('stripe', 'pi_3Nx-9'));
    expect(() => purchaseRefClaim('str-ipe', 'x')).toThrow(LedgerInvariantError);
  });

  it('refuses an expiresAt that is not in the future', () => {
    given()
      .when(purchase({ expiresAt: T0 }), { now: T0 })
      .thenRejects({ code: 'invalid_expiry', expiresAt: T0 });
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
    given()
      .when(grant({ expiresAt: after(-1) }), { now: T0 })
      .thenRejects({ code: 'invalid_expiry' });
  });

  it('refuses an expiresAt that is not an instant', () => {
    given()
      .when(grant({ expiresAt: 'soon' }), { now: T0 })
      .thenRejects({ code: 'invalid_expiry', expiresAt: 'soon' });
  });

  it('counts held credits towards the balance limit', () => {
    given(purchased('big', MAX_BALANCE_CREDITS - 50), reserved('r1', { big: 40 }, after(HOUR)))
      .when(grant({ credits: 51 }), { now: T0 })
      .thenRejects({ code: 'balance_limit' });
  });

  it("throws on a blockId that already exists: ids are the application's job", () => {
    expect(() => given(granted('g1', 5)).when(grant(), { now: T0 })).toThrow(
      /block g1 already exists/,
    );
  });
});
