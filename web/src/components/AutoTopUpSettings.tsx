import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { CreditsApiError } from '../client/credits-client';
import type { AutoTopUpAnswer, CreditPack } from '../client/types';
import { useCreditsContext } from '../credits-context';
import { formatCredits, formatMoney } from '../format';

type Outcome =
  | { kind: 'none' }
  | { kind: 'saving' }
  | { kind: 'saved'; enabled: boolean }
  | { kind: 'no-payment-method' }
  | { kind: 'error'; message: string };

/**
 * Auto top-up settings (UI.md): on/off, the threshold and the pack charged when available credits
 * fall below it. Turning it on needs a card saved for it at a purchase; without one the service
 * answers 409 `no_payment_method` and this offers that purchase, with the consent checkbox.
 */
export function AutoTopUpSettings() {
  const { client, purchaseOpen, openPurchase } = useCreditsContext();
  const ids = useId();
  const [settings, setSettings] = useState<AutoTopUpAnswer | null>(null);
  const [packs, setPacks] = useState<CreditPack[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [threshold, setThreshold] = useState('');
  const [packId, setPackId] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });

  const load = useCallback(() => {
    setLoadError(null);
    Promise.all([client.autoTopUp(), client.packs()]).then(
      ([current, list]) => {
        setSettings(current);
        setPacks(list);
        setEnabled(current.enabled);
        setThreshold(String(current.threshold));
        setPackId(current.packId ?? list[0]?.packId ?? '');
      },
      (failure: Error) => setLoadError(messageFor(failure)),
    );
  }, [client]);
  useEffect(load, [load]);

  // After the purchase modal closes, a card may have been saved (the webhook records it): ask again
  // whether one is, without touching what the user is editing.
  const wasOpen = useRef(purchaseOpen);
  useEffect(() => {
    if (wasOpen.current && !purchaseOpen)
      client.autoTopUp().then(
        (current) =>
          setSettings((previous) =>
            previous ? { ...previous, hasPaymentMethod: current.hasPaymentMethod } : current,
          ),
        () => undefined,
      );
    wasOpen.current = purchaseOpen;
  }, [purchaseOpen, client]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const credits = Number(threshold);
    if (!Number.isSafeInteger(credits) || credits < 1) {
      setOutcome({
        kind: 'error',
        message: 'The threshold must be a whole number of credits, 1 or more.',
      });
      return;
    }
    if (!packId) {
      setOutcome({ kind: 'error', message: 'Choose the pack to buy.' });
      return;
    }
    setOutcome({ kind: 'saving' });
    try {
      const saved = await client.setAutoTopUp({ enabled, threshold: credits, packId });
      setSettings(saved);
      setEnabled(saved.enabled);
      setOutcome({ kind: 'saved', enabled: saved.enabled });
    } catch (failure) {
      if (failure instanceof CreditsApiError && failure.code === 'no_payment_method')
        setOutcome({ kind: 'no-payment-method' });
      else setOutcome({ kind: 'error', message: messageFor(failure) });
    }
  };

  return (
    <section
      className="cw-root cw-card cw-auto-top-up"
      data-testid="auto-top-up"
      aria-labelledby={`${ids}-title`}
    >
      <h3 id={`${ids}-title`}>Auto top-up</h3>
      <p className="cw-muted">
        Buy a pack automatically with your saved card when your available credits run low.
      </p>
      {loadError !== null && (
        <div className="cw-error" role="alert">
          <span>{loadError}</span>
          <button type="button" className="cw-button" onClick={load}>
            Try again
          </button>
        </div>
      )}
      {loadError === null && (settings === null || packs === null) && (
        <div className="cw-status" role="status" aria-live="polite">
          <span className="cw-spinner" aria-hidden="true" /> Loading auto top-up…
        </div>
      )}
      {settings !== null && packs !== null && (
        <form className="cw-form" onSubmit={(event) => void save(event)} noValidate>
          <div className="cw-field">
            <span id={`${ids}-switch`}>Auto top-up</span>
            <button
              type="button"
              role="switch"
              className="cw-switch"
              aria-checked={enabled}
              aria-labelledby={`${ids}-switch`}
              data-testid="auto-top-up-enabled"
              onClick={() => setEnabled((on) => !on)}
            >
              <span className="cw-switch-knob" aria-hidden="true" />
              <span aria-hidden="true">{enabled ? 'On' : 'Off'}</span>
            </button>
          </div>
          <div className="cw-field">
            <label htmlFor={`${ids}-threshold`}>When available credits fall below</label>
            <input
              id={`${ids}-threshold`}
              className="cw-input"
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              required
              data-testid="auto-top-up-threshold"
              value={threshold}
              onChange={(event) => setThreshold(event.target.value)}
            />
          </div>
          <div className="cw-field">
            <label htmlFor={`${ids}-pack`}>Buy this pack</label>
            <select
              id={`${ids}-pack`}
              className="cw-input"
              data-testid="auto-top-up-pack"
              value={packId}
              onChange={(event) => setPackId(event.target.value)}
            >
              {packs.length === 0 && <option value="">No packs on sale</option>}
              {packs.map((pack) => (
                <option key={pack.packId} value={pack.packId}>
                  {pack.name}: {formatCredits(pack.credits + pack.bonusCredits)} credits for{' '}
                  {formatMoney(pack.price.minor, pack.price.currency)}
                </option>
              ))}
            </select>
          </div>
          <p className="cw-muted" data-testid="auto-top-up-card">
            {settings.hasPaymentMethod
              ? 'A card is saved for auto top-up.'
              : 'No card is saved for auto top-up yet.'}
          </p>
          <p>
            <button
              type="submit"
              className="cw-button"
              data-testid="auto-top-up-save"
              disabled={outcome.kind === 'saving'}
            >
              {outcome.kind === 'saving' ? 'Saving…' : 'Save'}
            </button>
          </p>
          <div aria-live="polite" role="status">
            {outcome.kind === 'saved' && (
              <p className="cw-preview-ok" data-testid="auto-top-up-saved">
                Saved. Auto top-up is {outcome.enabled ? 'on' : 'off'}.
              </p>
            )}
          </div>
          {outcome.kind === 'no-payment-method' && (
            <div className="cw-error" role="alert" data-testid="auto-top-up-no-payment-method">
              <span>
                Auto top-up needs a saved card. Buy a pack once and save your card for auto top-up,
                then turn it on again.
              </span>
              <button
                type="button"
                className="cw-button"
                data-testid="auto-top-up-buy"
                onClick={() => openPurchase({ saveForAutoTopUp: true })}
              >
                Buy a pack and save my card
              </button>
            </div>
          )}
          {outcome.kind === 'error' && (
            <div className="cw-error" role="alert" data-testid="auto-top-up-error">
              <span>{outcome.message}</span>
            </div>
          )}
        </form>
      )}
    </section>
  );
}

/** The service's problem codes (API.md) in plain words. */
function messageFor(failure: unknown): string {
  if (failure instanceof CreditsApiError) {
    switch (failure.code) {
      case 'validation_failed':
        return `Those settings were refused: ${failure.message}`;
      case 'rate_limited':
        return 'Too many changes. Please wait a minute.';
      case 'network_error':
        return 'The credits service could not be reached. Check your connection.';
      default:
        return failure.message;
    }
  }
  return failure instanceof Error ? failure.message : 'Something went wrong.';
}
