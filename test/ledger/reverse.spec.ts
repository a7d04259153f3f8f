import type { ReversePurchaseCommand } from '../../src/ledger';
import { given } from './given-when-then';
import {
  DAY,
  HOUR,
  T0,
  after,
  expired,
  granted,
  purchased,
  reserved,
  reversed,
  spent,
} from './fixtures';

const reverse = (credits: number, providerRef = 'pi_paid'): ReversePurchaseCommand => ({
  kind: 'reverse',
  providerRef,
  credits,
  reason: 'refund',
});

describe('reverse a purchase', () => {
  it("removes the credits from the purchase's own block first", () => {
    given(granted('promo', 50, { expiresAt: after(DAY) }), purchased('paid', 100))
      .when(reverse(100), { now: after(HOUR) })
      .then(reversed('pur-paid', 100, { paid: 100 }, { providerRef: 'pi_paid' }));
  });

  it('then from other blocks in drawdown order', () => {
    given(
      purchased('other', 40),
      granted('promo', 50, { expiresAt: after(DAY) }),
      purchased('paid', 100),
      spent('s1', { paid: 70 }),
    )
      .when(reverse(100), { now: after(HOUR) })
      .then(
        reversed('pur-paid', 100, { paid: 30, promo: 50, other: 20 }, { providerRef: 'pi_paid' }),
      );
  });

  it('reports what was already spent as shortfall and never goes below zero', () => {
    const outcome = given(purchased('paid', 100), spent('s1', { paid: 80 })).when(
      { ...reverse(100), reason: 'dispute' },
      { now: after(HOUR) },
    );
    outcome.then(
      reversed('pur-paid', 100, { paid: 20 }, { providerRef: 'pi_paid', reason: 'dispute' }),
    );
    expect(outcome.acceptedEvents()[0].data).toMatchObject({ shortfall: 80 });
    const state = outcome.stateAfter();
    expect(state.unexpiredRemaining + state.reserved).toBe(0);
  });

  it('does not take held credits: they count as shortfall', () => {
    given(purchased('paid', 100), reserved('r1', { paid: 60 }, after(HOUR)))
      .when(reverse(100), { now: T0 })
      .then(reversed('pur-paid', 100, { paid: 40 }, { providerRef: 'pi_paid' }));
  });

  it('skips blocks past their expiry, which expire first', () => {
    given(
      purchased('paid', 100, { expiresAt: after(DAY) }),
      purchased('other', 10),
      spent('s1', { paid: 50 }),
    )
      .when(reverse(100), { now: after(2 * DAY) })
      .then(
        expired('paid', 50),
        reversed('pur-paid', 100, { other: 10 }, { providerRef: 'pi_paid' }),
      );
  });

  it('caps a reversal at what the purchase bought, less what was reversed before', () => {
    given(purchased('paid', 100), purchased('other', 500), reversed('pur-paid', 60, { paid: 60 }))
      .when(reverse(100), { now: after(HOUR) })
      .then(reversed('pur-paid', 40, { paid: 40 }, { providerRef: 'pi_paid' }));
  });

  it('accepts with nothing to write once the purchase is fully reversed', () => {
    given(purchased('paid', 100), purchased('other', 500), reversed('pur-paid', 100, { paid: 100 }))
      .when(reverse(10), { now: after(HOUR) })
      .then();
  });

  describe('to a cumulative total (Stripe amount_refunded)', () => {
    const toTotal = (totalCredits: number): ReversePurchaseCommand => ({
      kind: 'reverse',
      providerRef: 'pi_paid',
      totalCredits,
      reason: 'refund',
    });

    it('removes what the total adds to earlier reversals', () => {
      given(purchased('paid', 100), reversed('pur-paid', 30, { paid: 30 }))
        .when(toTotal(50), { now: after(HOUR) })
        .then(reversed('pur-paid', 20, { paid: 20 }, { providerRef: 'pi_paid' }));
    });

    it('writes nothing for a total already reached (a redelivered or older webhook)', () => {
      given(purchased('paid', 100), reversed('pur-paid', 50, { paid: 50 }))
        .when(toTotal(30), { now: after(HOUR) })
        .then();
      given(purchased('paid', 100), reversed('pur-paid', 50, { paid: 50 }))
        .when(toTotal(50), { now: after(HOUR) })
        .then();
    });

    it('never goes beyond the credits bought', () => {
      given(purchased('paid', 100), reversed('pur-paid', 40, { paid: 40 }))
        .when(toTotal(500), { now: after(HOUR) })
        .then(reversed('pur-paid', 60, { paid: 60 }, { providerRef: 'pi_paid' }));
    });
  });

  it('answers not_found for an unknown providerRef', () => {
    given(purchased('paid', 100))
      .when(reverse(10, 'pi_unknown'), { now: after(HOUR) })
      .thenRejects({ code: 'not_found', entity: 'purchase', id: 'pi_unknown' });
  });
});
