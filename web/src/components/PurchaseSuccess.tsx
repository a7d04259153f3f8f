import { useEffect, useRef } from 'react';
import confetti from 'canvas-confetti';
import type { CompletedPurchase } from '../credits-context';
import { formatCredits } from '../format';

/** How long the confetti canvas stays on the page. */
const CONFETTI_MS = 6_000;

/**
 * After Checkout completes (UI.md "Purchase success"): confetti, then the new balance once the
 * webhook's credits arrive. A polite live region, so a screen reader hears it too.
 */
export function PurchaseSuccess({
  purchase,
  onDismiss,
}: {
  purchase: CompletedPurchase;
  onDismiss: () => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const added = purchase.pack.credits + (purchase.pack.bonusCredits ?? 0);

  useEffect(() => {
    if (!canvas.current) return;
    // Our own canvas (not one canvas-confetti adds to <body>): it carries the test id, and it goes
    // when this does. Nothing flies for people who asked for reduced motion.
    const fire = confetti.create(canvas.current, { resize: true, disableForReducedMotion: true });
    void fire({ particleCount: 140, spread: 80, origin: { y: 0.3 } });
    const stop = setTimeout(() => {
      fire.reset();
      if (canvas.current) canvas.current.hidden = true;
    }, CONFETTI_MS);
    return () => {
      clearTimeout(stop);
      fire.reset();
    };
  }, [purchase.pack]);

  return (
    <>
      <canvas ref={canvas} className="cw-confetti" data-testid="confetti" aria-hidden="true" />
      <div
        className="cw-root cw-success"
        role="status"
        aria-live="polite"
        data-testid="purchase-success"
      >
        <span>
          {purchase.newBalance === null ? (
            <>
              Payment received! Adding <strong>{formatCredits(added)}</strong> credits…
            </>
          ) : (
            <>
              <strong>{formatCredits(added)}</strong> credits added. New balance:{' '}
              <strong data-testid="purchase-new-balance">
                {formatCredits(purchase.newBalance)}
              </strong>
            </>
          )}
        </span>
        <button type="button" className="cw-close" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      </div>
    </>
  );
}
