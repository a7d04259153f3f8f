import type { ConsoleClient } from '../../api';

/** Webhooks (UI.md "The console"). */
export function WebhooksPage(props: { client: ConsoleClient }) {
  return (
    <section className="c-card" aria-label="Webhooks">
      <p className="c-muted">Webhooks for a {props.client.scope} key: being built.</p>
    </section>
  );
}
