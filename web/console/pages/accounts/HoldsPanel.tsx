import { useState } from 'react';
import { idempotencyKey, settle, type ConsoleClient } from '../../api';
import {
  DataTable,
  ErrorMessage,
  Loaded,
  ReasonField,
  Section,
  formatCredits,
  formatInstant,
  useAction,
  useLoad,
  submitHandler,
} from '../../kit';
import type { OnDone } from './AccountActions';
import { openHolds, type Hold } from './account-api';

/** The account's open holds; an admin releases one, with a reason. */
export function HoldsPanel({
  client,
  accountId,
  reserved,
  version,
  onDone,
}: {
  client: ConsoleClient;
  accountId: string;
  reserved: number;
  version: number;
  onDone: OnDone;
}) {
  const holds = useLoad(
    () =>
      reserved > 0 ? openHolds(client, accountId) : Promise.resolve({ holds: [], complete: true }),
    [client, accountId, reserved, version],
  );
  const [releasing, setReleasing] = useState<Hold | null>(null);
  return (
    <Section title="Holds" testId="account-holds">
      <Loaded result={holds} what="holds">
        {({ holds: open, complete }) => (
          <>
            <DataTable
              caption="Open holds"
              rows={open}
              rowKey={(hold) => hold.reservationId}
              rowTestId="hold-row"
              empty="No open holds"
              columns={[
                { header: 'Reservation', cell: (hold) => <code>{hold.reservationId}</code> },
                { header: 'Credits', numeric: true, cell: (hold) => formatCredits(hold.credits) },
                { header: 'Description', cell: (hold) => hold.description ?? '—' },
                { header: 'Reserved at', cell: (hold) => formatInstant(hold.reservedAt) },
                { header: 'Expires', cell: (hold) => formatInstant(hold.expiresAt) },
                ...(client.scope === 'admin'
                  ? [
                      {
                        header: 'Action',
                        cell: (hold: Hold) => (
                          <button
                            type="button"
                            className="c-secondary"
                            data-testid="release-open"
                            aria-label={`Release hold ${hold.reservationId}`}
                            onClick={() => setReleasing(hold)}
                          >
                            Release
                          </button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            {!complete && (
              <p className="c-muted">
                The stream is too long to list every hold here: see the audit report (Finance).
              </p>
            )}
          </>
        )}
      </Loaded>
      {releasing && (
        <ReleaseForm
          key={releasing.reservationId}
          client={client}
          accountId={accountId}
          hold={releasing}
          onDone={(done, position) => {
            setReleasing(null);
            onDone(done, position);
          }}
          onCancel={() => setReleasing(null)}
        />
      )}
    </Section>
  );
}

function ReleaseForm({
  client,
  accountId,
  hold,
  onDone,
  onCancel,
}: {
  client: ConsoleClient;
  accountId: string;
  hold: Hold;
  onDone: OnDone;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const action = useAction(() =>
    settle(
      client.api.POST('/v1/accounts/{accountId}/reservations/{reservationId}/release', {
        params: {
          path: { accountId, reservationId: hold.reservationId },
          header: { 'Idempotency-Key': idempotencyKey() },
        },
        body: { reason: reason.trim() },
      }),
    ),
  );
  const submit = submitHandler(async () => {
    const answer = await action.submit();
    if (!answer) return;
    onDone(
      {
        summary: `Released hold ${answer.reservationId}: ${answer.released} credits available again`,
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
      data-testid="action-release"
      aria-label="Release a hold"
      onSubmit={submit}
    >
      <p>
        Release hold <code>{hold.reservationId}</code> ({formatCredits(hold.credits)} credits)
      </p>
      <ReasonField
        label="Reason for the release"
        testId="release-reason"
        hint="Recorded with the release (the event's note)"
        autoFocus
        value={reason}
        onChange={setReason}
      />
      <button type="submit" data-testid="release-submit" disabled={action.pending}>
        Release
      </button>
      <button type="button" className="c-secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorMessage error={action.error} />
    </form>
  );
}
