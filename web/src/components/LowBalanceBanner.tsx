import { formatCredits } from '../format';
import { useCredits } from '../hooks/useCredits';

/** A banner while the balance is low (UI.md; below LOW_BALANCE_THRESHOLD, 100 by default). */
export function LowBalanceBanner() {
  const { available, lowBalance, buyCredits } = useCredits();
  if (!lowBalance) return null;
  return (
    <div
      className="cw-root cw-banner"
      role="region"
      aria-label="Low balance"
      data-testid="low-balance-banner"
    >
      <span>
        Your credit balance is low: <strong>{formatCredits(available ?? 0)}</strong> left.
      </span>
      <button type="button" className="cw-button" data-testid="top-up" onClick={buyCredits}>
        Top up
      </button>
    </div>
  );
}
