import {
  referralGrants,
  rewardIsDue,
  type Referral,
} from '../../src/ledger/programs/referral-reward';
import { DAY, T0, after } from './fixtures';

const referral: Referral = {
  referrer: 'user:ann',
  referee: 'user:bob',
  registeredAt: T0,
  rewarded: false,
};

describe('referral rewards', () => {
  it('given a referral, when the referee makes a first purchase, then both sides are due credits', () => {
    expect(
      rewardIsDue(referral, { purchaseId: 'p1', occurredAt: after(DAY), earlierPurchases: 0 }),
    ).toBe(true);
    const grants = referralGrants(referral, 50, { referrer: 'b1', referee: 'b2' });
    expect(grants).toEqual([
      {
        accountId: 'user:ann',
        idempotencyKey: 'referral:user:bob:referrer',
        command: expect.objectContaining({
          kind: 'grant',
          blockId: 'b1',
          credits: 50,
          category: 'promotional',
          reason: 'referral',
        }),
      },
      {
        accountId: 'user:bob',
        idempotencyKey: 'referral:user:bob:referee',
        command: expect.objectContaining({ blockId: 'b2', credits: 50, reason: 'referral' }),
      },
    ]);
  });

  it('given a referral already rewarded, when another purchase lands, then nothing is due', () => {
    expect(
      rewardIsDue(
        { ...referral, rewarded: true },
        { purchaseId: 'p1', occurredAt: after(DAY), earlierPurchases: 0 },
      ),
    ).toBe(false);
  });

  it('given a referee who bought before, when it buys again, then nothing is due', () => {
    expect(
      rewardIsDue(referral, { purchaseId: 'p2', occurredAt: after(DAY), earlierPurchases: 1 }),
    ).toBe(false);
  });

  it('given a purchase made before the referral was registered, then nothing is due', () => {
    expect(
      rewardIsDue(
        { ...referral, registeredAt: after(DAY) },
        { purchaseId: 'p1', occurredAt: T0, earlierPurchases: 0 },
      ),
    ).toBe(false);
  });

  it('the grants are the same whenever they are derived: a replayed reward is recognised', () => {
    expect(
      referralGrants(referral, 50, { referrer: 'x', referee: 'y' }).map((g) => g.idempotencyKey),
    ).toEqual(
      referralGrants(referral, 50, { referrer: 'z', referee: 'w' }).map((g) => g.idempotencyKey),
    );
  });
});
