import { useEffect, useState } from 'react';
import { idempotencyKey, settle, type ConsoleClient } from '../../api';
import {
  DataTable,
  CreditsField,
  ErrorMessage,
  Loading,
  ReasonField,
  Section,
  formatCredits,
  formatInstant,
  useAction,
  submitHandler,
} from '../../kit';
import type { OnDone } from './AccountActions';
import { historyOf, type HistoryRow } from './account-api';

const PAGE_SIZE = 20;

/**
 * The account's history, newest first, a page at a time ("Older" appends the next). After a
 * write, the first read waits (bounded, `after`) until the history includes it.
 */
export function HistoryPanel({
  client,
  accountId,
  version,
  after,
  onDone,
}: {
  client: ConsoleClient;
  accountId: string;
  version: number;
  after: string | null;
  onDone: OnDone;
}) {
  const [rows, setRows] = useState<HistoryRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [refunding, setRefunding] = useState<HistoryRow | null>(null);
  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(undefined);
    historyOf(client, accountId, { limit: PAGE_SIZE, ...(after ? { after } : {}) }).then(
      (page) => {
        if (!current) return;
        setRows(page.data);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (caught: unknown) => {
        if (!current) return;
        setError(caught);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [client, accountId, version, after]);
  const older = async () => {
    if (cursor === null) return;
    setLoading(true);
    try {
      const page = await historyOf(client, accountId, { limit: PAGE_SIZE, cursor });
      setRows((previous) => [...previous, ...page.data]);
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  const admin = client.scope === 'admin';
  return (
    <Section title="History" testId="account-history">
      <DataTable
        caption={`Transactions of ${accountId}, newest first`}
        rows={rows}
        rowKey={(row) => row.id}
        rowTestId="history-row"
        empty={loading ? 'Loading…' : 'No transactions'}
        columns={[
          { header: 'When', cell: (row) => formatInstant(row.occurredAt) },
          { header: 'Type', cell: (row) => <span className="c-tag">{row.type}</span> },
          { header: 'Credits', numeric: true, cell: (row) => formatCredits(row.credits, true) },
          { header: 'Description', cell: (row) => row.description ?? '—' },
          {
            header: 'Balance after',
            numeric: true,
            cell: (row) => formatCredits(row.balanceAfter),
          },
          ...(admin
            ? [
                {
                  header: 'Action',
                  cell: (row: HistoryRow) =>
                    row.type === 'spend' ? (
                      <button
                        type="button"
                        className="c-secondary"
                        data-testid="refund-open"
                        aria-label={`Refund spend ${spendIdOf(row)}`}
                        onClick={() => setRefunding(row)}
                      >
                        Refund
                      </button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {loading && rows.length > 0 && <Loading what="history" />}
      <ErrorMessage error={error} />
      {cursor !== null && (
        <button
          type="button"
          className="c-secondary"
          data-testid="history-next"
          disabled={loading}
          onClick={() => void older()}
        >
          Older transactions
        </button>
      )}
      {refunding && (
        <RefundForm
          key={refunding.id}
          client={client}
          accountId={accountId}
          spend={refunding}
          onCancel={() => setRefunding(null)}
          onDone={(done, position) => {
            setRefunding(null);
            onDone(done, position);
          }}
        />
      )}
    </Section>
  );
}

function spendIdOf(row: HistoryRow): string {
  const spendId = row.detail.spendId;
  return typeof spendId === 'string' ? spendId : row.id;
}

/** The existing refund with the console as the actor: all that is left of the spend by default. */
function RefundForm({
  client,
  accountId,
  spend,
  onDone,
  onCancel,
}: {
  client: ConsoleClient;
  accountId: string;
  spend: HistoryRow;
  onDone: OnDone;
  onCancel: () => void;
}) {
  const [credits, setCredits] = useState('');
  const [reason, setReason] = useState('');
  const spendId = spendIdOf(spend);
  const action = useAction(() =>
    settle(
      client.api.POST('/v1/accounts/{accountId}/refunds', {
        params: { path: { accountId }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: { spendId, reason: reason.trim(), ...(credits ? { credits: Number(credits) } : {}) },
      }),
    ),
  );
  const submit = submitHandler(async () => {
    const answer = await action.submit();
    if (!answer) return;
    onDone(
      {
        summary: `Refunded ${answer.credits} credits of spend ${answer.spendId}`,
        accountId,
        revision: answer.revision,
        reason: reason.trim(),
      },
      answer.position,
    );
  });
  return (
    <form
      className="c-form"
      data-testid="action-refund"
      aria-label="Refund a spend"
      onSubmit={submit}
    >
      <p>
        Refund spend <code>{spendId}</code> ({formatCredits(-spend.credits)} credits,{' '}
        {spend.description ?? 'no description'})
      </p>
      <CreditsField
        label="Credits to refund"
        hint="Empty: all that is left of the spend"
        testId="refund-credits"
        required={false}
        value={credits}
        onChange={setCredits}
      />
      <ReasonField
        label="Reason for the refund"
        testId="refund-reason"
        autoFocus
        value={reason}
        onChange={setReason}
      />
      <button type="submit" data-testid="refund-submit" disabled={action.pending}>
        Refund
      </button>
      <button type="button" className="c-secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorMessage error={action.error} />
    </form>
  );
}
