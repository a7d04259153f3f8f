import { createContext, useContext } from 'react';
import type { CreditsClient } from './client/credits-client';
import type { BalanceAnswer, CreditPack, WidgetsConfig } from './client/types';

/** PRODUCT.md §5's default, until the service says otherwise. */
const DEFAULT_LOW_BALANCE_THRESHOLD = 100;

export interface CompletedPurchase {
  pack: CreditPack;
  balanceBefore: number;
  /** Set once the webhook's credits show in the balance. */
  newBalance: number | null;
}

/** How the purchase modal opens. */
export interface PurchaseOptions {
  /**
   * Offer to save the card for auto top-up (checked, the buyer may uncheck it): the Checkout then
   * asks Stripe to keep it for off-session charges, with the consent Checkout shows.
   */
  saveForAutoTopUp?: boolean;
}

export interface CreditsState {
  client: CreditsClient;
  config: WidgetsConfig | null;
  balance: BalanceAnswer | null;
  error: Error | null;
  refresh: () => Promise<void>;
  purchaseOpen: boolean;
  openPurchase: (options?: PurchaseOptions) => void;
  closePurchase: () => void;
  historyHref: string;
}

export const CreditsContext = createContext<CreditsState | null>(null);

export function useCreditsContext(): CreditsState {
  const state = useContext(CreditsContext);
  if (state === null) throw new Error('Credit widgets must be inside a <CreditsProvider>');
  return state;
}

/** The low-balance rule: the service's own answer when it gives one, else below its threshold. */
export function isLowBalance(balance: BalanceAnswer, config: WidgetsConfig | null): boolean {
  return (
    balance.lowBalance ??
    balance.available < (config?.lowBalanceThreshold ?? DEFAULT_LOW_BALANCE_THRESHOLD)
  );
}
