import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  AutoTopUpSettings,
  BillingPage,
  CostPreview,
  CreditBalance,
  CreditHistory,
  CreditsProvider,
  LowBalanceBanner,
} from '../src/index';
import { demoStyles } from './demo-styles';

/**
 * The demo shell at /app/?account=<id>&token=<customer token> (UI.md): a small product page with
 * every widget, for a newcomer to see them one minute after `npm start`. Routes are hash links:
 * #billing (Settings › Billing) and #history.
 */
function Demo({
  accountId,
  token,
  renewable,
}: {
  accountId: string;
  token: string;
  renewable: boolean;
}) {
  const route = useHashRoute();
  const renewToken = useCallback(async () => {
    const next = await demoToken(accountId);
    if (next === null) throw new Error('no demo token');
    return next;
  }, [accountId]);
  return (
    <CreditsProvider
      accountId={accountId}
      token={token}
      historyHref="#history"
      renewToken={renewable ? renewToken : undefined}
    >
      <header className="demo-header">
        <a className="demo-brand" href="#">
          PixelForge
        </a>
        <nav aria-label="Main" className="demo-nav">
          <a href="#" aria-current={route === '' ? 'page' : undefined}>
            Studio
          </a>
          <a href="#billing" aria-current={route === 'billing' ? 'page' : undefined}>
            Billing
          </a>
          <a href="#history" aria-current={route === 'history' ? 'page' : undefined}>
            History
          </a>
        </nav>
        <div className="demo-user">
          <CreditBalance />
          <span className="demo-avatar" role="img" aria-label={`Signed in as ${accountId}`}>
            {accountId
              .replace(/^[^:]*:/, '')
              .slice(0, 1)
              .toUpperCase() || '?'}
          </span>
        </div>
      </header>
      <main className="demo-main">
        <LowBalanceBanner />
        {route === 'billing' && (
          <BillingPage>
            <AutoTopUpSettings />
          </BillingPage>
        )}
        {route === 'history' && <CreditHistory pageSize={10} />}
        {route === '' && (
          <section className="cw-root cw-card">
            <h1>Studio</h1>
            <p>Your project “Launch trailer” is ready to render.</p>
            <CostPreview
              label="Render 4K video"
              operation="video-export"
              quantity={90}
              dimensions={{ resolution: '4k' }}
            />
          </section>
        )}
      </main>
    </CreditsProvider>
  );
}

function Instructions({ accountId }: { accountId: string | null }) {
  return (
    <main className="demo-main cw-root">
      <section className="cw-card">
        <h1>Credit widgets demo</h1>
        {accountId && (
          <p role="alert">
            No token for <code>{accountId}</code>: this service does not mint demo tokens (
            <code>DEMO_TOKENS</code> is off outside development).
          </p>
        )}
        <p>
          Open this page with an account and a customer token:{' '}
          <code>/app/?account=user:42&amp;token=…</code>
        </p>
        <p>Mint a token with an API key that has the spend or admin scope:</p>
        <pre>
          {`curl -s -X POST http://localhost:3000/v1/accounts/user:42/customer-tokens \\
  -H "Authorization: Bearer $LEDGER_KEY" -H 'content-type: application/json' -d '{}'`}
        </pre>
        <form method="get" action="./" className="demo-form">
          <label htmlFor="demo-account">
            Or open an account with a demo token (development only)
          </label>
          <input id="demo-account" name="account" defaultValue="user:42" required />
          <button type="submit" className="cw-button">
            Open
          </button>
        </form>
      </section>
    </main>
  );
}

/** The demo's own server-side route (DEMO_TOKENS, development only): a token without a key. */
async function demoToken(accountId: string): Promise<string | null> {
  try {
    const response = await fetch(`/demo/accounts/${encodeURIComponent(accountId)}/customer-token`, {
      method: 'POST',
    });
    if (response.status !== 201) return null;
    return ((await response.json()) as { token?: string }).token ?? null;
  } catch {
    return null;
  }
}

function useHashRoute(): string {
  const read = () => window.location.hash.replace(/^#\/?/, '');
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

const params = new URLSearchParams(window.location.search);
const accountId = params.get('account');
const tokenInUrl = params.get('token');
// A token from the URL cannot be renewed here; one from the demo route can.
const token = tokenInUrl ?? (accountId ? await demoToken(accountId) : null);
const style = document.createElement('style');
style.textContent = demoStyles;
document.head.appendChild(style);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {accountId && token ? (
      <Demo accountId={accountId} token={token} renewable={tokenInUrl === null} />
    ) : (
      <Instructions accountId={accountId} />
    )}
  </StrictMode>,
);
