import { useEffect, useRef, useState } from 'react';
import type { ConsoleClient } from './api';
import { PageBoundary } from './kit';
import { AccountsPage } from './pages/accounts/AccountsPage';
import { AnalyticsPage } from './pages/analytics/AnalyticsPage';
import { CatalogPage } from './pages/catalog/CatalogPage';
import { FinancePage } from './pages/finance/FinancePage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { PAGES, routeHref, useRoute, type Route } from './routes';
import { SignIn } from './SignIn';

/** Signed out: the sign-in form. Signed in: the navigation and the page the hash names. */
export function Console() {
  const [client, setClient] = useState<ConsoleClient | null>(null);
  if (client === null) return <SignIn onSignedIn={setClient} />;
  return <Shell client={client} signOut={() => setClient(null)} />;
}

function Shell({ client, signOut }: { client: ConsoleClient; signOut: () => void }) {
  const route = useRoute();
  const heading = useRef<HTMLHeadingElement>(null);
  const title = PAGES.find((page) => page.id === route.page)?.title ?? 'Accounts';
  // A new page moves the focus to its heading: keyboard and screen-reader users land on it.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [route.page]);
  useEffect(() => {
    document.title = `${title} — Credits console`;
  }, [title]);
  return (
    <>
      <a className="c-skip" href="#console-main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="c-header">
        <span className="c-brand">Credits console</span>
        <nav aria-label="Console" className="c-nav">
          {PAGES.map((page) => (
            <a
              key={page.id}
              href={routeHref(page.id)}
              aria-current={route.page === page.id ? 'page' : undefined}
              data-testid={`nav-${page.id}`}
            >
              {page.title}
            </a>
          ))}
        </nav>
        <span className="c-who" data-testid="console-scope">
          Signed in · {client.scope} key
        </span>
        <button type="button" className="c-secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main className="c-main" id="console-main">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <PageBoundary key={route.page}>
          <Page client={client} route={route} />
        </PageBoundary>
      </main>
    </>
  );
}

function Page({ client, route }: { client: ConsoleClient; route: Route }) {
  switch (route.page) {
    case 'analytics':
      return <AnalyticsPage client={client} />;
    case 'finance':
      return <FinancePage client={client} />;
    case 'catalog':
      return <CatalogPage client={client} />;
    case 'webhooks':
      return <WebhooksPage client={client} />;
    default:
      return <AccountsPage client={client} accountId={route.rest} />;
  }
}

/** The hash is the router's: the skip link moves the focus without changing the page. */
function skipToMain(event: { preventDefault(): void }) {
  event.preventDefault();
  document.querySelector<HTMLElement>('#console-main h1')?.focus();
}
