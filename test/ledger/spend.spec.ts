import type { SpendCreditsCommand } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, T0, after, expired, granted, purchased, reserved, spent } from './fixtures';

const spend = (credits: number, spendId = 's1'): SpendCreditsCommand => ({
  kind: 'spend',
  spendId,
  credits,
  description: 'usage',
});

describe('spend', () => {
  it('takes credits from a single block', () => {
    given(purchased('b1', 100))
      .when(spend(30), { now: after(HOUR) })
      .then(spent('s1', { b1: 30 }));
  });

  it('spans three blocks: soonest expiry first, never-expiring last', () => {
    given(
      purchased('never', 100),
      granted('late', 10, { expiresAt: after(3 * DAY) }),
      granted('soon', 10, { expiresAt: after(2 * DAY) }),
    )
      .when(spend(50), { now: after(DAY) })
      .then(spent('s1', { soon: 10, late: 10, never: 30 }));
  });

  it('spans three blocks with the same expiry: promotional before paid, then oldest grant', () => {
    const expiresAt = after(10 * DAY);
    given(
      purchased('paid', 100, { expiresAt }),
      granted('promo-new', 10, { expiresAt, at: after(HOUR) }),
      granted('promo-old', 10, { expiresAt }),
    )
      .when(spend(25), { now: after(DAY) })
      .then(spent('s1', { 'promo-old': 10, 'promo-new': 10, paid: 5 }));
  });

  it('breaks full ties by blockId', () => {
    given(granted('b-2', 10), granted('b-3', 10), granted('b-1', 10))
      .when(spend(25), { now: after(DAY) })
      .then(spent('s1', { 'b-1': 10, 'b-2': 10, 'b-3': 5 }));
  });

  it('compares expiries as instants, not as strings', () => {
    given(
      granted('utc', 10, { expiresAt: '2026-01-05T10:00:00.000Z' }),
      // 09:00 UTC, written with an offset: sorts after "…10:00…Z" as a string, before it in time.
      granted('offset', 10, { expiresAt: '2026-01-05T11:00:00+02:00' }),
    )
      .when(spend(15), { now: after(DAY) })
      .then(spent('s1', { offset: 10, utc: 5 }));
  });

  it('never draws on a block past its expiresAt: it expires first, in the same append', () => {
    given(granted('old', 50, { expiresAt: after(DAY) }), purchased('paid', 100))
      .when(spend(60), { now: after(2 * DAY) })
      .then(expired('old', 50), spent('s1', { paid: 60 }));
  });

  it('treats a block whose expiresAt is exactly now as expired', () => {
    given(granted('edge', 50, { expiresAt: after(DAY) }), purchased('paid', 100))
      .when(spend(10), { now: after(DAY) })
      .then(expired('edge', 50), spent('s1', { paid: 10 }));
  });

  it('rejects with insufficient_credits and writes nothing, even when expiry is due', () => {
    const refused = given(
      granted('old', 50, { expiresAt: after(DAY) }),
      purchased('paid', 40),
    ).when(spend(60), { now: after(2 * DAY) });
    refused.thenRejects({ code: 'insufficient_credits', available: 40, required: 60 });
    expect(refused.decision).toEqual({
      kind: 'rejected',
      rejection: { code: 'insufficient_credits', available: 40, required: 60 },
    });
  });

  it('does not count held credits as available', () => {
    given(purchased('b1', 100), reserved('r1', { b1: 80 }, after(HOUR)))
      .when(spend(30), { now: after(30 * 60 * 1000) })
      .thenRejects({ code: 'insufficient_credits', available: 20, required: 30 });
  });

  it('keeps reference and details with the spend', () => {
    given(purchased('b1', 100))
      .when(
        {
          kind: 'spend',
          spendId: 's1',
          credits: 5,
          description: 'report',
          reference: 'job-7',
          details: { model: 'x' },
        },
        { now: after(HOUR) },
      )
      .then({
        ...spent('s1', { b1: 5 }, { description: 'report', reference: 'job-7' }),
        data: {
          spendId: 's1',
          credits: 5,
          description: 'report',
          reference: 'job-7',
          details: { model: 'x' },
          drawdown: [{ blockId: 'b1', credits: 5 }],
        },
      });
  });

  it('on an account with no stream, is insufficient with nothing available', () => {
    given()
      .when(spend(1), { now: T0 })
      .thenRejects({ code: 'insufficient_credits', available: 0, required: 1 });
  });
});
