import type { RefundSpendCommand } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, after, expired, granted, purchased, refunded, spent } from './fixtures';

const refund = (credits?: number, refundId = 'rf1', spendId = 's1'): RefundSpendCommand => ({
  kind: 'refund',
  refundId,
  spendId,
  reason: 'operation failed',
  ...(credits !== undefined && { credits }),
});

describe('refund', () => {
  const spendAcrossTwoBlocks = [
    granted('promo', 30, { expiresAt: after(10 * DAY) }),
    purchased('paid', 100),
    spent('s1', { promo: 30, paid: 20 }, { at: after(HOUR) }),
  ];

  it('refunds all that is left by default', () => {
    given(...spendAcrossTwoBlocks)
      .when(refund(), { now: after(2 * HOUR) })
      .then(refunded('rf1', 's1', { paid: 20, promo: 30 }, { reason: 'operation failed' }));
  });

  it('returns credits last-drawn first', () => {
    given(...spendAcrossTwoBlocks)
      .when(refund(25), { now: after(2 * HOUR) })
      .then(refunded('rf1', 's1', { paid: 20, promo: 5 }, { reason: 'operation failed' }));
  });

  it('refunds part, then the rest', () => {
    const history = [
      ...spendAcrossTwoBlocks,
      refunded('rf1', 's1', { paid: 10 }, { at: after(2 * HOUR) }),
    ];
    given(...history)
      .when(refund(undefined, 'rf2'), { now: after(3 * HOUR) })
      .then(refunded('rf2', 's1', { paid: 10, promo: 30 }, { reason: 'operation failed' }));
  });

  it('refuses more than what is left of the spend', () => {
    given(...spendAcrossTwoBlocks, refunded('rf1', 's1', { paid: 20 }))
      .when(refund(31, 'rf2'), { now: after(3 * HOUR) })
      .thenRejects({ code: 'refund_exceeds_spend', spendId: 's1', refundable: 30, requested: 31 });
  });

  it('refuses a refund of a spend with nothing left as fully refunded, whatever the amount asked', () => {
    const fullyRefunded = given(
      ...spendAcrossTwoBlocks,
      refunded('rf1', 's1', { paid: 20, promo: 30 }),
    );
    fullyRefunded
      .when(refund(undefined, 'rf2'), { now: after(3 * HOUR) })
      .thenRejects({ code: 'spend_fully_refunded', spendId: 's1' });
    fullyRefunded
      .when(refund(1, 'rf2'), { now: after(3 * HOUR) })
      .thenRejects({ code: 'spend_fully_refunded', spendId: 's1' });
  });

  it('answers not_found for an unknown spend', () => {
    given(...spendAcrossTwoBlocks)
      .when(refund(1, 'rf1', 'nope'), { now: after(2 * HOUR) })
      .thenRejects({ code: 'not_found', entity: 'spend', id: 'nope' });
  });

  it('treats a spend id named like an Object.prototype member as unknown', () => {
    given(...spendAcrossTwoBlocks)
      .when(refund(1, 'rf1', 'constructor'), { now: after(2 * HOUR) })
      .thenRejects({ code: 'not_found', entity: 'spend', id: 'constructor' });
  });

  it('expires at once credits returned to a block that has expired since (same append)', () => {
    given(
      granted('promo', 40, { expiresAt: after(10 * DAY) }),
      purchased('paid', 100),
      spent('s1', { promo: 30, paid: 20 }, { at: after(HOUR) }),
      expired('promo', 10, { at: after(10 * DAY) }),
    )
      .when(refund(), { now: after(11 * DAY) })
      .then(
        refunded('rf1', 's1', { paid: 20, promo: 30 }, { reason: 'operation failed' }),
        expired('promo', 30),
      );
  });

  it('expires at once credits returned to a block past its expiresAt that held nothing', () => {
    given(...spendAcrossTwoBlocks)
      .when(refund(35), { now: after(10 * DAY) })
      .then(
        refunded('rf1', 's1', { paid: 20, promo: 15 }, { reason: 'operation failed' }),
        expired('promo', 15),
      );
  });

  it('expires a due block first, then the refund into it expires again at once', () => {
    given(
      granted('promo', 40, { expiresAt: after(DAY) }),
      purchased('paid', 100),
      spent('s1', { promo: 30 }, { at: after(HOUR) }),
    )
      .when(refund(), { now: after(2 * DAY) })
      .then(
        expired('promo', 10),
        refunded('rf1', 's1', { promo: 30 }, { reason: 'operation failed' }),
        expired('promo', 30),
      );
  });
});
