import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import {
  createCreditsClient,
  CreditsApiError,
  type CreditsConnection,
} from './client/credits-client';
import type { BalanceAnswer, WidgetsConfig } from './client/types';
import { BuyCreditsModal } from './components/BuyCreditsModal';
import { PurchaseSuccess } from './components/PurchaseSuccess';
import { CreditsContext, type CompletedPurchase, type CreditsState } from './credits-context';
import { injectStyles } from './styles';

/** While the live stream is down for good (an old service, a proxy that buffers): poll this often. */
const FALLBACK_POLL_MS = 10_000;
/** After Checkout completes, the webhook credits the account: look this often, this many times. */
const AWAIT_CREDITS_POLL_MS = 1_000;
const AWAIT_CREDITS_MAX_POLLS = 90;
const TOKEN_RENEWAL_MIN_INTERVAL_MS = 60_000;

export interface CreditsProviderProps extends CreditsConnection {
  /**
   * Asked for a new customer token when the service refuses the current one (401: tokens are
   * short-lived). Without it, pass a new `token` prop yourself.
   */
  renewToken?: () => Promise<string>;
  /** Where "View History" leads (a route of your app). Default: `#history`. */
  historyHref?: string;
  children?: ReactNode;
}

/**
 * Holds one account's balance for every widget inside it (one request, one live stream), and the
 * purchase modal that any "Buy Credits" or "Top up" button opens.
 */
export function CreditsProvider({
  accountId,
  token,
  apiBase,
  historyHref = '#history',
  renewToken,
  children,
}: CreditsProviderProps) {
  const [currentToken, setCurrentToken] = useState(token);
  useEffect(() => setCurrentToken(token), [token]);
  const client = useMemo(
    () => createCreditsClient({ accountId, token: currentToken, apiBase }),
    [accountId, currentToken, apiBase],
  );
  // One renewal at a time, at most one a minute: a renewer that hands out bad tokens cannot loop.
  const lastRenewal = useRef(0);
  const renew = useCallback(() => {
    if (!renewToken || Date.now() - lastRenewal.current < TOKEN_RENEWAL_MIN_INTERVAL_MS) return;
    lastRenewal.current = Date.now();
    renewToken().then(setCurrentToken, () => undefined);
  }, [renewToken]);
  const [config, setConfig] = useState<WidgetsConfig | null>(null);
  const [balance, setBalance] = useState<BalanceAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [purchaseOpen, setPurchaseOpen] = useState(false);
  const [offerSaveForAutoTopUp, setOfferSaveForAutoTopUp] = useState(false);
  const [purchase, setPurchase] = useState<CompletedPurchase | null>(null);
  const latestBalance = useRef<number>(0);
  latestBalance.current = balance?.balance ?? 0;

  useEffect(injectStyles, []);

  // Out-of-order answers (a slow read after a stream event) never move the balance backwards.
  const accept = useCallback((next: BalanceAnswer) => {
    setError(null);
    setBalance((previous) =>
      previous !== null &&
      previous.accountId === next.accountId &&
      previous.revision > next.revision
        ? previous
        : next,
    );
  }, []);
  const refresh = useCallback(
    () =>
      client.balance().then(accept, (failure: Error) => {
        setError(failure);
        if (failure instanceof CreditsApiError && failure.status === 401) renew();
      }),
    [client, accept, renew],
  );

  useEffect(() => {
    setBalance(null);
    void refresh();
    client.widgetsConfig().then(setConfig, () => setConfig(null));
    let poll: ReturnType<typeof setInterval> | undefined;
    const startPolling = () => {
      poll ??= setInterval(() => void refresh(), FALLBACK_POLL_MS);
    };
    if (typeof EventSource === 'undefined') {
      startPolling();
      return () => clearInterval(poll);
    }
    const source = new EventSource(client.balanceStreamUrl());
    source.addEventListener('balance', (event: MessageEvent<string>) => {
      try {
        accept(JSON.parse(event.data) as BalanceAnswer);
      } catch {
        void refresh();
      }
    });
    source.addEventListener('open', () => {
      clearInterval(poll);
      poll = undefined;
      // Whatever changed while the stream was down.
      void refresh();
    });
    // CONNECTING: the browser retries by itself. CLOSED: it gave up (no stream here, or the
    // token expired: the read then renews it, and a new client opens a new stream), so poll.
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return;
      startPolling();
      void refresh();
    });
    return () => {
      source.close();
      clearInterval(poll);
    };
  }, [client, refresh, accept]);

  // A completed Checkout: the credits arrive with Stripe's webhook, shortly after. The stream
  // shows them; this bounded poll covers a service or proxy without it.
  const awaiting = purchase !== null && purchase.newBalance === null;
  useEffect(() => {
    if (!awaiting) return;
    let polls = 0;
    const timer = setInterval(() => {
      polls += 1;
      if (polls > AWAIT_CREDITS_MAX_POLLS) clearInterval(timer);
      else void refresh();
    }, AWAIT_CREDITS_POLL_MS);
    return () => clearInterval(timer);
  }, [awaiting, refresh]);
  useEffect(() => {
    if (awaiting && balance !== null && balance.balance > purchase.balanceBefore)
      setPurchase({ ...purchase, newBalance: balance.balance });
  }, [awaiting, balance, purchase]);

  const state = useMemo<CreditsState>(
    () => ({
      client,
      config,
      balance,
      error,
      refresh,
      purchaseOpen,
      openPurchase: (options) => {
        setOfferSaveForAutoTopUp(options?.saveForAutoTopUp === true);
        setPurchaseOpen(true);
      },
      closePurchase: () => setPurchaseOpen(false),
      historyHref,
    }),
    [client, config, balance, error, refresh, purchaseOpen, historyHref],
  );

  return (
    <CreditsContext.Provider value={state}>
      {children}
      <BuyCreditsModal
        open={purchaseOpen}
        offerSaveForAutoTopUp={offerSaveForAutoTopUp}
        onClose={() => setPurchaseOpen(false)}
        onComplete={(pack) => {
          setPurchaseOpen(false);
          setPurchase({ pack, balanceBefore: latestBalance.current, newBalance: null });
        }}
      />
      {purchase && <PurchaseSuccess purchase={purchase} onDismiss={() => setPurchase(null)} />}
    </CreditsContext.Provider>
  );
}
