import { useState } from 'react';
import { download, type ConsoleClient } from '../../api';
import { DataTable, ErrorMessage, Field, Section, submitHandler, useAction } from '../../kit';
import { auditReport, verifyReadModels } from '../../console-routes';
import { balanceOf } from '../accounts/account-api';
import { BlocksTable, Figures, toInstant } from '../accounts/BalancePanel';
import { AuditView } from './AuditView';

/** Finance (UI.md): balance at an instant, the audit report, verify, exports for a period. */
export function FinancePage({ client }: { client: ConsoleClient }) {
  return (
    <>
      <div className="c-grid">
        <BalanceAt client={client} />
        <Verify client={client} />
      </div>
      <Exports client={client} />
      <Audit client={client} />
    </>
  );
}

function BalanceAt({ client }: { client: ConsoleClient }) {
  const action = useAction((accountId: string, at: string | undefined) =>
    balanceOf(client, accountId, at),
  );
  return (
    <Section title="Balance at an instant" testId="finance-balance-at">
      <AccountAtForm
        formLabel="Balance of an account at an instant"
        accountLabel="Account"
        atLabel="At (UTC; empty: now)"
        submitText="Show"
        pending={action.pending}
        onSubmit={action.submit}
      />
      <ErrorMessage error={action.error} />
      {action.result && (
        <div role="status">
          <Figures balance={action.result} />
          <BlocksTable blocks={action.result.blocks} caption="Blocks" />
        </div>
      )}
    </Section>
  );
}

function Verify({ client }: { client: ConsoleClient }) {
  const [accountId, setAccountId] = useState('');
  const action = useAction(() => verifyReadModels(client, accountId.trim() || undefined));
  const submit = submitHandler(action.submit);
  return (
    <Section title="Verify the read models" testId="finance-verify">
      <p className="c-muted">
        Folds the streams again and compares them with the read models (<code>ledger verify</code>
        ). Every account up to 10,000; more: use the CLI.
      </p>
      <form className="c-form" aria-label="Verify the read models" onSubmit={submit}>
        <Field label="Account (empty: every account)">
          {(id) => (
            <input
              id={id}
              value={accountId}
              onChange={(event) => setAccountId(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={action.pending}>
          {action.pending ? 'Verifying…' : 'Verify'}
        </button>
      </form>
      <ErrorMessage error={action.error} />
      {action.result && (
        <div role="status" data-testid="verify-result">
          <p className={action.result.differences.length === 0 ? 'c-ok' : 'c-error'}>
            {count(action.result.accounts, 'account')}, {count(action.result.events, 'event')}{' '}
            checked in {action.result.tookMs} ms:{' '}
            {count(action.result.differences.length, 'difference')}.
          </p>
          {action.result.differences.length > 0 && (
            <DataTable
              caption="Differences"
              rows={action.result.differences}
              rowKey={(_, index) => String(index)}
              columns={[
                { header: 'Account', cell: (row) => <code>{row.accountId}</code> },
                { header: 'Read model', cell: (row) => row.readModel },
                { header: 'Field', cell: (row) => row.field },
                { header: 'Expected', cell: (row) => <code>{JSON.stringify(row.expected)}</code> },
                { header: 'Actual', cell: (row) => <code>{JSON.stringify(row.actual)}</code> },
              ]}
            />
          )}
        </div>
      )}
    </Section>
  );
}

/** Streamed by the service (a year of data works); fetched with the key, saved as it comes. */
function Exports({ client }: { client: ConsoleClient }) {
  // Dates are midnight UTC and `to` is exclusive: up to tomorrow includes today.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const [from, setFrom] = useState(monthAgo);
  const [to, setTo] = useState(tomorrow);
  const action = useAction((report: 'transactions' | 'purchases') =>
    download(
      client,
      `/v1/reports/${report}.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      `${report}-${from}-${to}.csv`,
    ),
  );
  return (
    <Section title="Exports" testId="finance-exports">
      <form
        className="c-form"
        aria-label="Export a period as CSV"
        onSubmit={(event) => event.preventDefault()}
      >
        <Field label="From (UTC date, inclusive)">
          {(id) => (
            <input
              id={id}
              type="date"
              required
              value={from}
              onChange={(event) => setFrom(event.target.value)}
            />
          )}
        </Field>
        <Field label="To (UTC date, exclusive)">
          {(id) => (
            <input
              id={id}
              type="date"
              required
              value={to}
              onChange={(event) => setTo(event.target.value)}
            />
          )}
        </Field>
        <button
          type="button"
          data-testid="export-transactions"
          disabled={action.pending}
          onClick={() => void action.submit('transactions')}
        >
          Transactions CSV
        </button>
        <button
          type="button"
          data-testid="export-purchases"
          disabled={action.pending}
          onClick={() => void action.submit('purchases')}
        >
          Purchases CSV
        </button>
      </form>
      <p className="c-muted">Periods up to 2 years; instants in UTC.</p>
      <ErrorMessage error={action.error} />
    </Section>
  );
}

function Audit({ client }: { client: ConsoleClient }) {
  const action = useAction((accountId: string, at: string | undefined) =>
    auditReport(client, accountId, at),
  );
  return (
    <Section title="Audit report" testId="finance-audit">
      <AccountAtForm
        formLabel="Audit report of an account"
        accountLabel="Account to audit"
        atLabel="As of (UTC; empty: now)"
        submitText={action.pending ? 'Reading the stream…' : 'Audit'}
        pending={action.pending}
        onSubmit={action.submit}
      />
      <ErrorMessage error={action.error} />
      {action.result && <AuditView report={action.result} />}
    </Section>
  );
}

/** An account and an optional instant (empty: now): what both look-ups of this page ask for. */
function AccountAtForm({
  formLabel,
  accountLabel,
  atLabel,
  submitText,
  pending,
  onSubmit,
}: {
  formLabel: string;
  accountLabel: string;
  atLabel: string;
  submitText: string;
  pending: boolean;
  onSubmit: (accountId: string, at: string | undefined) => Promise<unknown>;
}) {
  const [accountId, setAccountId] = useState('');
  const [at, setAt] = useState('');
  const submit = submitHandler(() => onSubmit(accountId.trim(), at ? toInstant(at) : undefined));
  return (
    <form className="c-form" aria-label={formLabel} onSubmit={submit}>
      <Field label={accountLabel}>
        {(id) => (
          <input
            id={id}
            required
            value={accountId}
            onChange={(event) => setAccountId(event.target.value)}
          />
        )}
      </Field>
      <Field label={atLabel}>
        {(id) => (
          <input
            id={id}
            type="datetime-local"
            step={1}
            value={at}
            onChange={(event) => setAt(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={pending}>
        {submitText}
      </button>
    </form>
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
