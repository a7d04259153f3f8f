import type { ConsoleClient } from '../../api';

/** Accounts (UI.md "The console"). */
export function AccountsPage(props: { client: ConsoleClient; accountId: string }) {
  return (
    <section className="c-card" aria-label="Accounts">
      <p className="c-muted">
        Accounts for a {props.client.scope} key{props.accountId ? `: ${props.accountId}` : ''}.
      </p>
    </section>
  );
}
