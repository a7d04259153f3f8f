import type { ConsoleClient } from '../../api';

/**
 * Analytics (UI.md): charts of usage, purchases and revenue, active accounts, compared with the
 * previous period. A placeholder in the console shell: built on branch c18-analytics, which
 * replaces this file and adds its own under web/console/pages/analytics/.
 */
export function AnalyticsPage(props: { client: ConsoleClient }) {
  return (
    <section className="c-card" aria-label="Analytics">
      <p className="c-muted">
        Analytics charts are coming (signed in with a {props.client.scope} key).
      </p>
    </section>
  );
}
