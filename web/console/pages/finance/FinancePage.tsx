import type { ConsoleClient } from '../../api';

/** Finance (UI.md "The console"). */
export function FinancePage(props: { client: ConsoleClient }) {
  return (
    <section className="c-card" aria-label="Finance">
      <p className="c-muted">Finance for a {props.client.scope} key: being built.</p>
    </section>
  );
}
