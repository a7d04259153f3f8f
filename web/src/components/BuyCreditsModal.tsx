import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { StripeEmbeddedCheckout } from '@stripe/stripe-js';
import { CreditsApiError } from '../client/credits-client';
import type { CreditPack } from '../client/types';
import { useCreditsContext } from '../credits-context';
import { mountEmbeddedCheckout } from '../stripe-checkout';
import { PackCard } from './PackCard';

type Step =
  | { kind: 'packs' }
  | { kind: 'preparing'; pack: CreditPack }
  | { kind: 'checkout'; pack: CreditPack; clientSecret: string; publishableKey: string }
  | { kind: 'error'; pack: CreditPack | null; message: string };

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select, textarea, iframe, [tabindex]:not([tabindex="-1"])';

export interface BuyCreditsModalProps {
  open: boolean;
  onClose: () => void;
  /** Checkout completed (Stripe's onComplete); the credits follow with the webhook. */
  onComplete: (pack: CreditPack) => void;
  /** Show "Save my card for auto top-up" (checked: the buyer asked for it, and may uncheck it). */
  offerSaveForAutoTopUp?: boolean;
}

/**
 * The purchase modal (UI.md): the packs on sale, the popular one marked; a pack opens Stripe's
 * embedded Checkout inside the modal (no redirect). A native modal <dialog>: the page behind is
 * inert, Escape closes it, and Tab cycles inside it.
 */
export function BuyCreditsModal({
  open,
  onClose,
  onComplete,
  offerSaveForAutoTopUp = false,
}: BuyCreditsModalProps) {
  const { client, config } = useCreditsContext();
  const dialog = useRef<HTMLDialogElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [packs, setPacks] = useState<CreditPack[] | null>(null);
  const [packsError, setPacksError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'packs' });
  const [mounting, setMounting] = useState(false);
  const [saveCard, setSaveCard] = useState(false);
  useEffect(() => {
    if (open) setSaveCard(offerSaveForAutoTopUp);
  }, [open, offerSaveForAutoTopUp]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
    if (!open) setStep({ kind: 'packs' });
  }, [open]);

  const loadPacks = useCallback(() => {
    setPacksError(null);
    client.packs().then(
      (list) => setPacks(list),
      (failure: Error) => setPacksError(messageFor(failure)),
    );
  }, [client]);
  useEffect(() => {
    if (open && packs === null) loadPacks();
  }, [open, packs, loadPacks]);

  const choose = async (pack: CreditPack) => {
    setStep({ kind: 'preparing', pack });
    try {
      const publishableKey =
        config?.stripePublishableKey ?? (await client.widgetsConfig()).stripePublishableKey;
      if (!publishableKey) throw new Error('Payments are not configured on this service yet.');
      const session = await client.createCheckoutSession(pack.packId, {
        saveForAutoTopUp: offerSaveForAutoTopUp && saveCard,
      });
      if (!session.clientSecret) throw new Error('The payment provider did not start a checkout.');
      setStep({ kind: 'checkout', pack, clientSecret: session.clientSecret, publishableKey });
    } catch (failure) {
      setStep({ kind: 'error', pack, message: messageFor(failure) });
    }
  };

  // Mount Stripe's Checkout in the container once it is on screen; destroy it when leaving the
  // step (Stripe allows one embedded Checkout per page at a time).
  const checkoutStep = step.kind === 'checkout' ? step : null;
  useEffect(() => {
    if (!checkoutStep || !container.current) return;
    let checkout: StripeEmbeddedCheckout | null = null;
    let left = false;
    setMounting(true);
    mountEmbeddedCheckout({
      publishableKey: checkoutStep.publishableKey,
      clientSecret: checkoutStep.clientSecret,
      element: container.current,
      onComplete: () => onComplete(checkoutStep.pack),
    }).then(
      (mounted) => {
        if (left) mounted.destroy();
        else checkout = mounted;
        setMounting(false);
      },
      (failure: unknown) => {
        setMounting(false);
        if (!left)
          setStep({ kind: 'error', pack: checkoutStep.pack, message: messageFor(failure) });
      },
    );
    return () => {
      left = true;
      checkout?.destroy();
    };
    // Not onComplete: the parent's fresh closure each render; the step alone decides a new mount.
  }, [checkoutStep]);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      className="cw-root cw-modal"
      data-testid="buy-credits-modal"
      aria-labelledby={titleId}
      onClose={onClose}
      onKeyDown={trapTab}
    >
      {open && (
        <div className="cw-modal-body">
          <div className="cw-modal-header">
            <h2 id={titleId}>
              {step.kind === 'checkout' || step.kind === 'preparing'
                ? `Buy ${step.pack.name}`
                : 'Buy credits'}
            </h2>
            <button type="button" className="cw-close" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </div>
          {step.kind === 'packs' && offerSaveForAutoTopUp && (
            <p>
              <label className="cw-check">
                <input
                  type="checkbox"
                  data-testid="save-for-auto-top-up"
                  checked={saveCard}
                  onChange={(event) => setSaveCard(event.target.checked)}
                />{' '}
                Save my card for auto top-up: charge it for my chosen pack when my credits run low
              </label>
            </p>
          )}
          {step.kind === 'packs' && (
            <PackList
              packs={packs}
              error={packsError}
              onRetry={loadPacks}
              onChoose={(pack) => void choose(pack)}
            />
          )}
          {step.kind === 'preparing' && (
            <div className="cw-status" role="status" aria-live="polite">
              <span className="cw-spinner" aria-hidden="true" /> Preparing secure checkout…
            </div>
          )}
          {step.kind === 'checkout' && (
            <>
              {mounting && (
                <div className="cw-status" role="status" aria-live="polite">
                  <span className="cw-spinner" aria-hidden="true" /> Loading checkout…
                </div>
              )}
              <div ref={container} className="cw-checkout" data-testid="checkout-container" />
              <p>
                <button
                  type="button"
                  className="cw-button cw-button-quiet"
                  onClick={() => setStep({ kind: 'packs' })}
                >
                  Choose another pack
                </button>
              </p>
            </>
          )}
          {step.kind === 'error' && (
            <div className="cw-error" role="alert" data-testid="purchase-error">
              <span>{step.message}</span>
              <span>
                <button
                  type="button"
                  className="cw-button"
                  data-testid="purchase-retry"
                  onClick={() => (step.pack ? void choose(step.pack) : setStep({ kind: 'packs' }))}
                >
                  Try again
                </button>{' '}
                <button
                  type="button"
                  className="cw-button cw-button-quiet"
                  onClick={() => setStep({ kind: 'packs' })}
                >
                  Choose another pack
                </button>
              </span>
            </div>
          )}
        </div>
      )}
    </dialog>
  );
}

function PackList(props: {
  packs: CreditPack[] | null;
  error: string | null;
  onRetry: () => void;
  onChoose: (pack: CreditPack) => void;
}) {
  if (props.error !== null)
    return (
      <div className="cw-error" role="alert">
        <span>{props.error}</span>
        <button type="button" className="cw-button" onClick={props.onRetry}>
          Try again
        </button>
      </div>
    );
  if (props.packs === null)
    return (
      <div className="cw-status" role="status" aria-live="polite">
        <span className="cw-spinner" aria-hidden="true" /> Loading packs…
      </div>
    );
  if (props.packs.length === 0) return <p>No credit packs are on sale right now.</p>;
  return (
    <div className="cw-packs" role="list" aria-label="Credit packs">
      {props.packs.map((pack) => (
        <div role="listitem" key={pack.packId}>
          <PackCard pack={pack} onChoose={props.onChoose} />
        </div>
      ))}
    </div>
  );
}

/** What the buyer reads: the service's problem codes (API.md) in plain words. */
function messageFor(failure: unknown): string {
  if (failure instanceof CreditsApiError) {
    switch (failure.code) {
      case 'payment_provider_error':
        return 'The payment provider could not start the checkout. Nothing was charged.';
      case 'unavailable':
        return 'Payments are unavailable right now. Nothing was charged.';
      case 'rate_limited':
        return 'Too many checkout attempts. Please wait a minute.';
      case 'network_error':
        return 'The credits service could not be reached. Check your connection.';
      default:
        return failure.message;
    }
  }
  if (failure instanceof Error && /Stripe/.test(failure.message))
    return 'The secure checkout could not be loaded. Check your connection.';
  return failure instanceof Error ? failure.message : 'Something went wrong.';
}
