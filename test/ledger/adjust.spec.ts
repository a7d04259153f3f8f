import type { AdjustCreditsCommand } from '../../src/ledger';
import { given } from './given-when-then';
import {
  DAY,
  HOUR,
  adjusted,
  after,
  expired,
  granted,
  purchased,
  reserved,
  spent,
} from './fixtures';

const adjust = (
  credits: number,
  adjustmentId = 'adj-1',
  reason = 'correction',
): AdjustCreditsCommand => ({ kind: 'adjust', adjustmentId, credits, reason });

describe('adjust down (an admin debit with a reason)', () => {
  it('takes credits from available in the drawdown order of a spend', () => {
    given(
      purchased('never', 100),
      granted('late', 10, { expiresAt: after(3 * DAY) }),
      granted('soon', 10, { expiresAt: after(2 * DAY) }),
    )
      .when(adjust(50), { now: after(DAY) })
      .then(adjusted('adj-1', { soon: 10, late: 10, never: 30 }));
  });

  it('records the reason and an optional description', () => {
    given(purchased('b1', 100))
      .when(
        { ...adjust(30, 'adj-2', 'duplicate grant'), description: 'ticket 42' },
        { now: after(HOUR) },
      )
      .then(adjusted('adj-2', { b1: 30 }, { reason: 'duplicate grant', description: 'ticket 42' }));
  });

  it('may take everything available, to zero', () => {
    given(purchased('b1', 40))
      .when(adjust(40), { now: after(HOUR) })
      .then(adjusted('adj-1', { b1: 40 }));
  });

  it('never takes available below zero: insufficient_credits, nothing written', () => {
    given(purchased('b1', 40))
      .when(adjust(41), { now: after(HOUR) })
      .thenRejects({ code: 'insufficient_credits', available: 40, required: 41 });
  });

  it('never touches held credits', () => {
    given(purchased('b1', 100), reserved('r1', { b1: 70 }, after(DAY)))
      .when(adjust(31), { now: after(HOUR) })
      .thenRejects({ code: 'insufficient_credits', available: 30, required: 31 });
  });

  it('expires what is due first, in the same append, and never draws on it', () => {
    given(granted('old', 50, { expiresAt: after(DAY) }), purchased('paid', 100))
      .when(adjust(60), { now: after(2 * DAY) })
      .then(expired('old', 50), adjusted('adj-1', { paid: 60 }));
  });

  it('is refused, writing nothing, when the expiry leaves too little', () => {
    given(granted('old', 50, { expiresAt: after(DAY) }), purchased('paid', 40))
      .when(adjust(60), { now: after(2 * DAY) })
      .thenRejects({ code: 'insufficient_credits', available: 40, required: 60 });
  });

  it('is not a spend: a refund cannot name it', () => {
    given(purchased('b1', 100), adjusted('adj-1', { b1: 30 }))
      .when({ kind: 'refund', refundId: 'r1', spendId: 'adj-1', reason: 'x' }, { now: after(HOUR) })
      .thenRejects({ code: 'not_found', entity: 'spend', id: 'adj-1' });
  });

  it('leaves the remaining credits to later spends', () => {
    given(purchased('b1', 100), adjusted('adj-1', { b1: 30 }))
      .when(
        { kind: 'spend', spendId: 's1', credits: 70, description: 'usage' },
        { now: after(HOUR) },
      )
      .then(spent('s1', { b1: 70 }));
  });

  describe('idempotency', () => {
    const keyed = { idempotencyKey: 'key-1', requestHash: 'hash-a' };

    it('replays a repeat with the same key and request: nothing new is written', () => {
      given(purchased('b1', 100), adjusted('adj-1', { b1: 30 }, { at: after(HOUR), ...keyed }))
        .when(adjust(30, 'adj-other'), { now: after(2 * HOUR), ...keyed })
        .thenReplays({ balance: 70, available: 70, reserved: 0 });
    });

    it('refuses the same key with another request', () => {
      given(purchased('b1', 100), adjusted('adj-1', { b1: 30 }, { at: after(HOUR), ...keyed }))
        .when(adjust(31, 'adj-2'), {
          now: after(2 * HOUR),
          idempotencyKey: 'key-1',
          requestHash: 'hash-b',
        })
        .thenRejects({ code: 'idempotency_key_reused', idempotencyKey: 'key-1' });
    });
  });

  it('is refused on a closed (merged) account', () => {
    given(purchased('b1', 100), {
      type: 'AccountClosed',
      data: { reason: 'merged', mergeId: 'm1', into: 'user:1', credits: 0 },
      metadata: adjusted('x', {}).metadata,
    })
      .when(adjust(10), { now: after(HOUR) })
      .thenRejects({ code: 'account_closed', mergedInto: 'user:1' });
  });
});
