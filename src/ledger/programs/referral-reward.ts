import type { GrantCreditsCommand } from '../commands';
import { epochMs } from '../instants';

/**
 * PRODUCT.md §2 "Referrals", as plain rules. A referral is registered once per referee; both
 * sides get the referral credits when the referee's first purchase lands, once.
 */
export interface Referral {
  referrer: string;
  referee: string;
  registeredAt: string;
  /** A reward was recorded for it (ReferralRewarded): never again. */
  rewarded: boolean;
}

/** The purchase being looked at, and whether the referee bought anything before it. */
export interface RefereePurchase {
  purchaseId: string;
  occurredAt: string;
  earlierPurchases: number;
}

/**
 * Whether this purchase pays the referral: the referee's first purchase ever, made once the
 * referral was registered. A referee who had bought before being referred never pays one (their
 * first purchase is behind them). A refund or reversal of the purchase later changes nothing.
 */
export function rewardIsDue(referral: Referral, purchase: RefereePurchase): boolean {
  return (
    !referral.rewarded &&
    purchase.earlierPurchases === 0 &&
    epochMs(purchase.occurredAt) >= epochMs(referral.registeredAt)
  );
}

export interface ReferralGrant {
  accountId: string;
  command: GrantCreditsCommand;
  /** Derived from the referral: a grant sent again (a reactor batch replayed) is answered, not repeated. */
  idempotencyKey: string;
}

/** The two grants of a due reward: promotional, reason `referral`, one per side. */
export function referralGrants(
  referral: Referral,
  credits: number,
  blockIds: { referrer: string; referee: string },
): ReferralGrant[] {
  const grant = (side: 'referrer' | 'referee', accountId: string): ReferralGrant => ({
    accountId,
    idempotencyKey: `referral:${referral.referee}:${side}`,
    command: {
      kind: 'grant',
      blockId: blockIds[side],
      credits,
      category: 'promotional',
      reason: 'referral',
      description:
        side === 'referrer'
          ? `Referral reward: ${referral.referee} made a first purchase`
          : `Referral reward: referred by ${referral.referrer}`,
    },
  });
  return [grant('referrer', referral.referrer), grant('referee', referral.referee)];
}
