import { useState, type ReactNode } from 'react';
import type { ConsoleClient } from '../../api';
import {
  DataTable,
  ErrorMessage,
  Field,
  Section,
  formatCredits,
  formatInstant,
  submitHandler,
  useAction,
} from '../../kit';
import { balanceOf, type Balance, type Block } from './account-api';

export function Figures({
  balance,
}: {
  balance: Pick<Balance, 'balance' | 'available' | 'reserved'>;
}) {
  return (
    <dl className="c-figures">
      <div>
        <dt>Balance</dt>
        <dd data-testid="balance-total">{formatCredits(balance.balance)}</dd>
      </div>
      <div>
        <dt>Available</dt>
        <dd data-testid="balance-available">{formatCredits(balance.available)}</dd>
      </div>
      <div>
        <dt>Reserved</dt>
        <dd data-testid="balance-reserved">{formatCredits(balance.reserved)}</dd>
      </div>
    </dl>
  );
}

export function BlocksTable({ blocks, caption }: { blocks: readonly Block[]; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={blocks}
      rowKey={(block) => block.blockId}
      rowTestId="block-row"
      empty="No credits left in any block"
      columns={[
        { header: 'Category', cell: (block) => block.category },
        { header: 'Source', cell: (block) => block.source },
        { header: 'Remaining', numeric: true, cell: (block) => formatCredits(block.remaining) },
        { header: 'Granted', numeric: true, cell: (block) => formatCredits(block.credits) },
        { header: 'Granted at', cell: (block) => formatInstant(block.grantedAt) },
        {
          header: 'Expires',
          cell: (block) => (block.expiresAt ? formatInstant(block.expiresAt) : 'never'),
        },
        { header: 'Block', cell: (block) => <code>{block.blockId}</code> },
      ]}
    />
  );
}

/** Balance, available, reserved and the blocks; the same as it was at any instant. */
export function BalancePanel({
  client,
  balance,
  actions,
}: {
  client: ConsoleClient;
  balance: Balance;
  actions?: ReactNode;
}) {
  return (
    <Section title={`Balance of ${balance.accountId}`} testId="account-balance" actions={actions}>
      <Figures balance={balance} />
      {balance.lowBalance && <p className="c-muted">Below the account&apos;s low-balance line.</p>}
      {balance.revision < 0 && <p className="c-muted">No events yet: this account is empty.</p>}
      <BlocksTable blocks={balance.blocks} caption="Blocks" />
      <PointInTime client={client} accountId={balance.accountId} />
    </Section>
  );
}

/** `GET …/balance?at=`: the balance as it was at an instant (UTC). */
export function PointInTime({ client, accountId }: { client: ConsoleClient; accountId: string }) {
  const [at, setAt] = useState('');
  const action = useAction((instant: string) => balanceOf(client, accountId, instant));
  const submit = submitHandler(() => action.submit(toInstant(at)));
  return (
    <div data-testid="balance-at">
      <form className="c-form" aria-label="Balance at an instant" onSubmit={submit}>
        <Field label="Balance at (UTC)">
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              step={1}
              required
              value={at}
              onChange={(event) => setAt(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="c-secondary" disabled={action.pending}>
          Show
        </button>
      </form>
      <ErrorMessage error={action.error} />
      {action.result && (
        <div role="status">
          <p>
            At <strong>{formatInstant(toInstant(at))}</strong>:
          </p>
          <Figures balance={action.result} />
          <BlocksTable blocks={action.result.blocks} caption="Blocks at that instant" />
        </div>
      )}
    </div>
  );
}

/** A datetime-local value read as UTC (the console shows every instant in UTC). */
export function toInstant(local: string): string {
  const withSeconds = /T\d\d:\d\d$/.test(local) ? `${local}:00` : local;
  return new Date(`${withSeconds}Z`).toISOString();
}
