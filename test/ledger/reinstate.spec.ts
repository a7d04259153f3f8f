import type { ReinstateReversalCommand, ReversePurchaseCommand } from '../../src/ledger';
import { evolve, initialState, decide } from '../../src/ledger';
import { given } from './given-when-then';
import {
  DAY,
  HOUR,
  T0,
  TEST_ACTOR,
  after,
  expired,
  granted,
  purchased,
  reversed,
  spent,
  undone,
} from './fixtures';

const DISPUTE = 'dispute:du_1';
const reinstate = (reversalId = DISPUTE): ReinstateReversalCommand => ({
  kind: 'reinstate',
  providerRef: 'pi_paid',
  reversalId,
  reason: 'dispute',
});
const disputeReversal = (reversalId = DISPUTE): ReversePurchaseCommand => ({
  kind: 'reverse',
  providerRef: 'pi_paid',
  credits: 100,
  reason: 'dispute',
  reversalId,
});
const disputed = (removed: Record<string, number>, credits = 100) =>
  reversed('pur-paid', credits, removed, {
    providerRef: 'pi_paid',
    reason: 'dispute',
    reversalId: DISPUTE,
  });

describe('reverse a purchase for a named cause', () => {
  it('records the cause on the reversal', () => {
    given(purchased('paid', 100))
      .when(disputeReversal(), { now: after(HOUR) })
      .then(disputed({ paid: 100 }));
  });

  it('writes nothing for a cause already reversed', () => {
    given(purchased('paid', 100), purchased('other', 500), disputed({ paid: 100 }))
      .when(disputeReversal(), { now: after(HOUR) })
      .then();
  });

  it('writes nothing for a cause already undone, even when the reversal comes second', () => {
    given(purchased('paid', 100), undone(DISPUTE, 'pur-paid', {}))
      .when(disputeReversal(), { now: after(HOUR) })
      .then();
  });
});

describe('reinstate a reversal (a dispute won, a refund failed)', () => {
  it('gives back exactly what the reversal removed, into the same blocks', () => {
    given(
      purchased('other', 40),
      purchased('paid', 100),
      spent('s1', { paid: 70 }),
      disputed({ paid: 30, other: 40 }),
    )
      .when(reinstate(), { now: after(HOUR) })
      .then(undone(DISPUTE, 'pur-paid', { paid: 30, other: 40 }, { shortfallCancelled: 30 }));
  });

  it('expires at once what goes back into a block that has expired since', () => {
    given(
      purchased('paid', 100, { expiresAt: after(DAY) }),
      granted('promo', 50),
      disputed({ paid: 100 }),
    )
      .when(reinstate(), { now: after(2 * DAY) })
      .then(undone(DISPUTE, 'pur-paid', { paid: 100 }), expired('paid', 100));
  });

  it('is written once: a second reinstatement writes nothing', () => {
    given(
      purchased('paid', 100),
      disputed({ paid: 100 }),
      undone(DISPUTE, 'pur-paid', { paid: 100 }),
    )
      .when(reinstate(), { now: after(HOUR) })
      .then();
  });

  it('before its reversal, restores nothing and settles the cause', () => {
    given(purchased('paid', 100))
      .when(reinstate(), { now: after(HOUR) })
      .then(undone(DISPUTE, 'pur-paid', {}));
  });

  it('lets the purchase be reversed again for another cause afterwards', () => {
    const outcome = given(
      purchased('paid', 100),
      disputed({ paid: 100 }),
      undone(DISPUTE, 'pur-paid', { paid: 100 }),
    ).when(
      { kind: 'reverse', providerRef: 'pi_paid', totalCredits: 50, reason: 'refund' },
      { now: after(HOUR) },
    );
    outcome.then(reversed('pur-paid', 50, { paid: 50 }, { providerRef: 'pi_paid' }));
  });

  it('refuses a purchase the account does not have', () => {
    given(purchased('paid', 100))
      .when({ ...reinstate(), providerRef: 'pi_unknown' }, { now: after(HOUR) })
      .thenRejects({ code: 'not_found', entity: 'purchase', id: 'pi_unknown' });
  });

  it('never gives back more than was removed, whatever the order of reverse and reinstate', () => {
    const orders: Array<Array<'reverse' | 'reinstate'>> = [
      ['reverse', 'reinstate'],
      ['reinstate', 'reverse'],
      ['reverse', 'reverse', 'reinstate', 'reinstate'],
      ['reinstate', 'reverse', 'reinstate', 'reverse'],
      ['reverse', 'reinstate', 'reverse'],
    ];
    for (const order of orders) {
      const state = initialState();
      evolve(state, purchased('paid', 100));
      for (const step of order) {
        const decision = decide(step === 'reverse' ? disputeReversal() : reinstate(), state, {
          now: new Date(after(HOUR)),
          correlationId: 'c',
          actor: TEST_ACTOR,
        });
        if (decision.kind !== 'accepted') throw new Error(`unexpected ${decision.kind}`);
        for (const event of decision.events) evolve(state, event);
      }
      expect({ order, balance: state.unexpiredRemaining }).toEqual({ order, balance: 100 });
    }
  });
});

describe('reinstate a failed refund (reversed as part of a cumulative total)', () => {
  const refundFailed = (
    toTotalCredits: number,
    reversalId = 'refund:re_1',
  ): ReinstateReversalCommand => ({
    kind: 'reinstate',
    providerRef: 'pi_paid',
    reversalId,
    reason: 'refund',
    toTotalCredits,
  });
  const refundReversal = (credits: number, removed: Record<string, number>) =>
    reversed('pur-paid', credits, removed, { providerRef: 'pi_paid' });

  it("brings the refunds' total down, giving back into the blocks they removed from, last removed first", () => {
    given(
      purchased('other', 40),
      purchased('paid', 100),
      spent('s1', { paid: 80 }),
      refundReversal(50, { paid: 20, other: 30 }),
    )
      .when(refundFailed(10), { now: after(HOUR) })
      .then(undone('refund:re_1', 'pur-paid', { other: 30, paid: 10 }, { reason: 'refund' }));
  });

  it('never gives back more than was removed: the rest was shortfall, no longer owed', () => {
    given(purchased('paid', 100), spent('s1', { paid: 90 }), refundReversal(50, { paid: 10 }))
      .when(refundFailed(0), { now: after(HOUR) })
      .then(
        undone(
          'refund:re_1',
          'pur-paid',
          { paid: 10 },
          { reason: 'refund', shortfallCancelled: 40 },
        ),
      );
  });

  it('happens once per refund', () => {
    given(
      purchased('paid', 100),
      refundReversal(50, { paid: 50 }),
      undone('refund:re_1', 'pur-paid', { paid: 50 }, { reason: 'refund' }),
    )
      .when(refundFailed(0), { now: after(HOUR) })
      .then();
  });

  it('a later cumulative refund reverses again from the lower total', () => {
    given(
      purchased('paid', 100),
      refundReversal(50, { paid: 50 }),
      undone('refund:re_1', 'pur-paid', { paid: 50 }, { reason: 'refund' }),
    )
      .when(
        { kind: 'reverse', providerRef: 'pi_paid', totalCredits: 30, reason: 'refund' },
        { now: after(HOUR) },
      )
      .then(refundReversal(30, { paid: 30 }));
  });
});

void T0;
