import { isLowBalance, useCreditsContext } from '../credits-context';

export interface Credits {
  /** Credits on the account; `null` until the first answer. */
  balance: number | null;
  /** What can be spent now (balance minus holds). */
  available: number | null;
  reserved: number | null;
  lowBalance: boolean;
  loading: boolean;
  error: Error | null;
  /** Reads the balance again (it also updates by itself from the live stream). */
  refresh: () => Promise<void>;
  /** Opens the purchase modal. */
  buyCredits: () => void;
}

/** The account's balance, live: re-renders after every purchase or spend, without a reload. */
export function useCredits(): Credits {
  const { balance, config, error, refresh, openPurchase } = useCreditsContext();
  return {
    balance: balance?.balance ?? null,
    available: balance?.available ?? null,
    reserved: balance?.reserved ?? null,
    lowBalance: balance !== null && isLowBalance(balance, config),
    loading: balance === null && error === null,
    error,
    refresh,
    buyCredits: () => openPurchase(),
  };
}
