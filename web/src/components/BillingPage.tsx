import type { ReactNode } from 'react';
import { formatCredits } from '../format';
import { useCredits } from '../hooks/useCredits';
import { CoinIcon } from './CoinIcon';

/** Settings › Billing (UI.md): the balance and a "Buy Credits" button; your own sections below. */
export function BillingPage({ children }: { children?: ReactNode }) {
  const { balance, available, reserved, buyCredits } = useCredits();
  return (
    <section
      className="cw-root cw-card"
      data-testid="billing-page"
      aria-labelledby="cw-billing-title"
    >
      <p className="cw-muted">Settings › Billing</p>
      <h2 id="cw-billing-title">Billing</h2>
      <p style={{ display: 'flex', alignItems: 'center', gap: 8, fontSize: 18 }}>
        <CoinIcon />
        <span>
          <strong>{formatCredits(balance ?? 0)}</strong> credits
        </span>
      </p>
      {reserved !== null && reserved > 0 && (
        <p className="cw-muted">
          {formatCredits(available ?? 0)} available, {formatCredits(reserved)} on hold for running
          jobs.
        </p>
      )}
      <button
        type="button"
        className="cw-button"
        data-testid="billing-buy-credits"
        onClick={buyCredits}
      >
        Buy Credits
      </button>
      {children}
    </section>
  );
}
