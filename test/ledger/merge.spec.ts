import type { MergeAccountCommand } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, MINUTE, after, expired, granted, released, reserved } from './fixtures';
import { closed, sent } from './program-fixtures';

const merge: MergeAccountCommand = { kind: 'merge', mergeId: 'm1', into: 'user:ann' };

describe('merge a lead into its user', () => {
  it('sends every block as it is (category and expiry kept) and closes the lead', () => {
    given(
      granted('l1', 20, { reason: 'lead', expiresAt: after(DAY) }),
      granted('l2', 5, { category: 'paid' }),
    )
      .when(merge, { now: after(HOUR) })
      .then(
        sent(
          'm1',
          'user:ann',
          [
            { blockId: 'l1', credits: 20, category: 'promotional', expiresAt: after(DAY) },
            { blockId: 'l2', credits: 5, category: 'paid' },
          ],
          { purpose: 'merge' },
        ),
        closed('m1', 'user:ann', 25),
      );
  });

  it('releases open holds first, and moves what they held', () => {
    given(granted('l1', 20, { reason: 'lead' }), reserved('h1', { l1: 8 }, after(HOUR)))
      .when(merge, { now: after(MINUTE) })
      .then(
        released('h1', { l1: 8 }, 'released'),
        sent('m1', 'user:ann', [{ blockId: 'l1', credits: 20, category: 'promotional' }], {
          purpose: 'merge',
        }),
        closed('m1', 'user:ann', 20),
      );
  });

  it('moves nothing that has expired', () => {
    given(granted('l1', 20, { reason: 'lead', expiresAt: after(HOUR) }))
      .when(merge, { now: after(DAY) })
      .then(expired('l1', 20), closed('m1', 'user:ann', 0));
  });

  it('a second merge answers the first and moves nothing', () => {
    given(
      granted('l1', 20, { reason: 'lead' }),
      sent('m1', 'user:ann', [{ blockId: 'l1', credits: 20, category: 'promotional' }], {
        purpose: 'merge',
      }),
      closed('m1', 'user:ann', 20),
    )
      .when({ ...merge, mergeId: 'm2', into: 'user:other' }, { now: after(DAY) })
      .thenNoop({
        reason: 'repeated',
        answer: { firstRevision: 2, lastRevision: 2, balance: 0, available: 0, reserved: 0 },
      });
  });
});
