import { useEffect, useState } from 'react';
import type { QuoteAnswer, QuoteRequest } from '../client/types';
import { useCreditsContext } from '../credits-context';
import { formatCredits } from '../format';
import { InsufficientCredits } from './InsufficientCredits';

export interface CostPreviewProps extends QuoteRequest {
  /** What the user is about to do, as they would say it: "Render 4K video". */
  label: string;
}

/**
 * The price of an action before it runs (UI.md): a quote from the rate card ("Render 4K video — 12
 * credits") and whether the balance covers it; when it does not, "Top up". Quoted again when the
 * balance changes.
 */
export function CostPreview({ label, operation, quantity, dimensions }: CostPreviewProps) {
  const { client, balance } = useCreditsContext();
  const [quote, setQuote] = useState<QuoteAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const dimensionsKey = JSON.stringify(dimensions ?? {});
  const revision = balance?.revision ?? -1;

  useEffect(() => {
    let current = true;
    const parsed = JSON.parse(dimensionsKey) as QuoteRequest['dimensions'];
    client
      .quote({
        operation,
        ...(quantity !== undefined && { quantity }),
        ...(Object.keys(parsed ?? {}).length > 0 && { dimensions: parsed }),
      })
      .then(
        (answer) => {
          if (!current) return;
          setQuote(answer);
          setError(null);
        },
        (failure: Error) => current && setError(failure),
      );
    return () => {
      current = false;
    };
  }, [client, operation, quantity, dimensionsKey, revision]);

  return (
    <div className="cw-root" data-testid="cost-preview" aria-live="polite">
      <div className="cw-preview">
        {error ? (
          <span className="cw-preview-short">
            {label}: the price could not be shown ({error.message})
          </span>
        ) : quote === null ? (
          <span className="cw-muted">{label} — pricing…</span>
        ) : (
          <>
            <span>
              {label} — <strong>{formatCredits(quote.credits)} credits</strong>
            </span>
            {quote.sufficient ? (
              <span className="cw-preview-ok">
                ✓ Covered: {formatCredits(quote.balanceAfter)} left after
              </span>
            ) : (
              <span className="cw-preview-short">Not covered by your balance</span>
            )}
          </>
        )}
      </div>
      {quote !== null && !quote.sufficient && (
        <InsufficientCredits
          required={quote.credits}
          available={quote.available}
          action={`“${label}”`}
        />
      )}
    </div>
  );
}
