import type { LedgerState, SubscriptionRecord } from './state';

/**
 * The account's subscription if it is `subscriptionId`, else null: none yet, or another one (an
 * account's next subscription replaces the one it had).
 */
export function knownSubscription(
  state: LedgerState,
  subscriptionId: string,
): SubscriptionRecord | null {
  const subscription = state.extras.subscription;
  return subscription?.subscriptionId === subscriptionId ? subscription : null;
}
