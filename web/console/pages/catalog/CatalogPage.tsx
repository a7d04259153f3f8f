import type { ConsoleClient } from '../../api';

/** Catalog (UI.md "The console"). */
export function CatalogPage(props: { client: ConsoleClient }) {
  return (
    <section className="c-card" aria-label="Catalog">
      <p className="c-muted">Catalog for a {props.client.scope} key: being built.</p>
    </section>
  );
}
