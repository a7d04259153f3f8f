import { useState } from 'react';
import { idempotencyKey, settle, type ConsoleClient } from '../../api';
import {
  CreditsField,
  ErrorMessage,
  Field,
  ReasonField,
  Section,
  useAction,
  submitHandler,
} from '../../kit';
import { adjustDown } from '../../console-routes';
import type { Done } from './ActionDone';

const GRANT_KINDS = [
  'adjustment',
  'compensation',
  'promotion',
  'signup',
  'referral',
  'lead',
  'subscription',
] as const;

/** Every write hands back what it did; the page refreshes and shows who did it. */
export type OnDone = (done: Done, position: string | null) => void;

/** What every action form on an account gets. */
interface ActionFormProps {
  client: ConsoleClient;
  accountId: string;
  onDone: OnDone;
}

/** Grant credits with a required reason (API: `description`; the grant's kind is its `reason`). */
export function GrantForm({ client, accountId, onDone }: ActionFormProps) {
  const [credits, setCredits] = useState('');
  const [reason, setReason] = useState('');
  const [kind, setKind] = useState<(typeof GRANT_KINDS)[number]>('adjustment');
  const [category, setCategory] = useState<'paid' | 'promotional'>('promotional');
  const [expiresAt, setExpiresAt] = useState('');
  const action = useAction(() =>
    settle(
      client.api.POST('/v1/accounts/{accountId}/grants', {
        params: { path: { accountId }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: {
          credits: Number(credits),
          category,
          reason: kind,
          description: reason.trim(),
          ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
        },
      }),
    ),
  );
  const submit = submitHandler(async () => {
    const answer = await action.submit();
    if (!answer) return;
    onDone(
      {
        summary: `Granted ${answer.credits} ${category} credits to ${accountId}`,
        accountId,
        revision: answer.revision,
        reason: reason.trim(),
      },
      answer.position,
    );
    setCredits('');
    setReason('');
  });
  return (
    <Section title="Grant credits">
      <form
        className="c-form"
        data-testid="action-grant"
        aria-label="Grant credits"
        onSubmit={submit}
      >
        <CreditsField
          label="Credits"
          testId="grant-credits"
          value={credits}
          onChange={setCredits}
        />
        <ReasonField label="Reason" testId="grant-reason" value={reason} onChange={setReason} />
        <Field label="Kind">
          {(id) => (
            <select
              id={id}
              value={kind}
              onChange={(event) => setKind(event.target.value as typeof kind)}
            >
              {GRANT_KINDS.map((value) => (
                <option key={value}>{value}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Category">
          {(id) => (
            <select
              id={id}
              value={category}
              onChange={(event) => setCategory(event.target.value as typeof category)}
            >
              <option>promotional</option>
              <option>paid</option>
            </select>
          )}
        </Field>
        <Field label="Expires (optional)">
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              value={expiresAt}
              onChange={(event) => setExpiresAt(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" data-testid="grant-submit" disabled={action.pending}>
          {action.pending ? 'Granting…' : 'Grant'}
        </button>
      </form>
      <ErrorMessage error={action.error} />
    </Section>
  );
}

/** Adjust down: an admin debit with a reason, never below zero available (402 otherwise). */
export function AdjustForm({ client, accountId, onDone }: ActionFormProps) {
  const [credits, setCredits] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction(() =>
    adjustDown(
      client,
      accountId,
      { credits: Number(credits), reason: reason.trim() },
      idempotencyKey(),
    ),
  );
  const submit = submitHandler(async () => {
    const answer = await action.submit();
    if (!answer) return;
    onDone(
      {
        summary: `Adjusted ${accountId} down by ${answer.credits} credits`,
        accountId,
        revision: answer.revision,
        reason: reason.trim(),
      },
      answer.position,
    );
    setCredits('');
    setReason('');
  });
  return (
    <Section title="Adjust down">
      <form
        className="c-form"
        data-testid="action-adjust"
        aria-label="Adjust down"
        onSubmit={submit}
      >
        <CreditsField
          label="Credits to remove"
          testId="adjust-credits"
          value={credits}
          onChange={setCredits}
        />
        <ReasonField
          label="Reason for the adjustment"
          testId="adjust-reason"
          value={reason}
          onChange={setReason}
        />
        <button type="submit" data-testid="adjust-submit" disabled={action.pending}>
          {action.pending ? 'Adjusting…' : 'Adjust down'}
        </button>
      </form>
      <ErrorMessage error={action.error} />
    </Section>
  );
}

/** Merge a lead (this account) into a user's account: holds released, credits moved, lead closed. */
export function MergeForm({ client, accountId, onDone }: ActionFormProps) {
  const [into, setInto] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction(() =>
    settle(
      client.api.POST('/v1/accounts/{accountId}/merge', {
        params: { path: { accountId }, header: { 'Idempotency-Key': idempotencyKey() } },
        body: { into: into.trim(), reason: reason.trim() },
      }),
    ),
  );
  const submit = submitHandler(async () => {
    const answer = await action.submit();
    if (!answer) return;
    onDone(
      {
        summary: `Merged lead ${accountId} into ${answer.into}: ${answer.credits} credits moved (merge ${answer.mergeId})`,
        accountId,
        revision: answer.revision,
        reason: reason.trim(),
      },
      answer.position,
    );
  });
  return (
    <Section title="Merge this lead">
      <form
        className="c-form"
        data-testid="action-merge"
        aria-label="Merge this lead"
        onSubmit={submit}
      >
        <Field label="Into account">
          {(id) => (
            <input
              id={id}
              data-testid="merge-into"
              required
              value={into}
              onChange={(event) => setInto(event.target.value)}
            />
          )}
        </Field>
        <ReasonField
          label="Reason for the merge"
          testId="merge-reason"
          hint="Recorded with the merge (the note of its events)"
          value={reason}
          onChange={setReason}
        />
        <button
          type="submit"
          className="c-danger"
          data-testid="merge-submit"
          disabled={action.pending}
        >
          {action.pending ? 'Merging…' : 'Merge and close the lead'}
        </button>
      </form>
      <ErrorMessage error={action.error} />
    </Section>
  );
}
