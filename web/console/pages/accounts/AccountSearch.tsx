import { useEffect, useId, useState, type FormEvent } from 'react';
import { ConsoleApiError, type ConsoleClient } from '../../api';
import { DataTable, ErrorMessage, formatCredits, formatInstant } from '../../kit';
import { searchAccounts, type AccountSummary } from '../../pending-routes';
import { routeHref } from '../../routes';

const SEARCH_DELAY_MS = 250;
const RESULTS = 20;

/**
 * Find an account: accounts whose id starts with what is typed (`GET /v1/accounts?prefix=`),
 * as a list of links; an exact id opens it. Enter opens what is typed even when the search has
 * not listed it (an account with no events yet, or a search route this service does not have).
 */
export function AccountSearch({
  client,
  current,
  open,
}: {
  client: ConsoleClient;
  current: string;
  open: (accountId: string) => void;
}) {
  const [text, setText] = useState(current);
  const [results, setResults] = useState<AccountSummary[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const id = useId();
  const prefix = text.trim();
  useEffect(() => {
    if (prefix === '') {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      searchAccounts(client, { prefix, limit: RESULTS }).then(
        (page) => {
          if (!live) return;
          setError(undefined);
          setResults(page.data);
          if (prefix !== current && page.data.some((row) => row.accountId === prefix)) open(prefix);
        },
        (caught: unknown) => {
          if (!live) return;
          setResults(null);
          // No search route (404) is not an error: Enter still opens an exact id.
          setError(caught instanceof ConsoleApiError && caught.status === 404 ? undefined : caught);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `open` and `current` change with the route; the search follows the text only.
  }, [client, prefix]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (prefix !== '') open(prefix);
  };
  return (
    <section className="c-card" aria-label="Find an account">
      <form className="c-form" role="search" aria-label="Find an account" onSubmit={submit}>
        <div className="c-field">
          <label htmlFor={id}>Account id or the start of one</label>
          <input
            id={id}
            data-testid="account-search"
            type="search"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <button type="submit">Open</button>
      </form>
      <ErrorMessage error={error} />
      {results !== null && (
        <DataTable
          caption={`Accounts starting with “${prefix}”`}
          rows={results}
          rowKey={(row) => row.accountId}
          rowTestId="search-result"
          empty="No account starts with that"
          columns={[
            {
              header: 'Account',
              cell: (row) => (
                <a href={routeHref('accounts', row.accountId)}>
                  <code>{row.accountId}</code>
                </a>
              ),
            },
            { header: 'Balance', numeric: true, cell: (row) => formatCredits(row.balance) },
            { header: 'Available', numeric: true, cell: (row) => formatCredits(row.available) },
            { header: 'Reserved', numeric: true, cell: (row) => formatCredits(row.reserved) },
            { header: 'Updated', cell: (row) => formatInstant(row.updatedAt) },
          ]}
        />
      )}
    </section>
  );
}
