import { formatCredits } from '../format';
import { useCredits } from '../hooks/useCredits';

/** Not enough credits for an action (UI.md): what it needs, what there is, and "Top up". */
export function InsufficientCredits({
  required,
  available,
  action,
}: {
  required: number;
  available: number;
  action?: string;
}) {
  const { buyCredits } = useCredits();
  return (
    <div className="cw-root cw-error" role="alert" data-testid="insufficient-credits">
      <span>
        Not enough credits{action ? ` for ${action}` : ''}: it needs{' '}
        <strong>{formatCredits(required)}</strong>, you have{' '}
        <strong>{formatCredits(available)}</strong>.
      </span>
      <button type="button" className="cw-button" data-testid="top-up" onClick={buyCredits}>
        Top up
      </button>
    </div>
  );
}
