import { useState } from 'react';
import { download, type ConsoleClient } from '../../api';
import { ErrorMessage, Loaded, useAction, useLoad } from '../../kit';
import { AdjustForm, GrantForm, MergeForm, type OnDone } from './AccountActions';
import { ActionDone, type Done } from './ActionDone';
import { balanceOf } from './account-api';
import { BalancePanel } from './BalancePanel';
import { HistoryPanel } from './HistoryPanel';
import { HoldsPanel } from './HoldsPanel';
import { TimelinePanel } from './TimelinePanel';

/**
 * One account: balance and blocks, holds, history, the raw timeline, the CSV of its transactions,
 * and (admin keys) the actions. After an action every part is read again and the action's event
 * says who did it.
 */
export function AccountDetail({ client, accountId }: { client: ConsoleClient; accountId: string }) {
  const [version, setVersion] = useState(0);
  const [after, setAfter] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const balance = useLoad(() => balanceOf(client, accountId), [client, accountId, version]);
  const onDone: OnDone = (next, position) => {
    setDone(next);
    setAfter(position);
    setVersion((value) => value + 1);
  };
  const csv = useAction(() =>
    download(
      client,
      `/v1/reports/transactions.csv?accountId=${encodeURIComponent(accountId)}`,
      `transactions-${accountId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`,
    ),
  );
  const exportButton = (
    <button
      type="button"
      className="c-secondary"
      data-testid="export-csv"
      disabled={csv.pending}
      onClick={() => void csv.submit()}
    >
      {csv.pending ? 'Preparing CSV…' : 'Download transactions (CSV)'}
    </button>
  );
  return (
    <>
      {done && <ActionDone client={client} done={done} />}
      <ErrorMessage error={csv.error} />
      <Loaded result={balance} what="the balance">
        {(current) => (
          <>
            <BalancePanel client={client} balance={current} actions={exportButton} />
            <HoldsPanel
              client={client}
              accountId={accountId}
              reserved={current.reserved}
              version={version}
              onDone={onDone}
            />
            {client.scope === 'admin' ? (
              <div className="c-grid" aria-label="Actions" role="group">
                <GrantForm client={client} accountId={accountId} onDone={onDone} />
                <AdjustForm client={client} accountId={accountId} onDone={onDone} />
                <MergeForm client={client} accountId={accountId} onDone={onDone} />
              </div>
            ) : (
              <p className="c-muted">Actions need an admin key; this finance key reads only.</p>
            )}
            <div className="c-grid">
              <HistoryPanel
                client={client}
                accountId={accountId}
                version={version}
                after={after}
                onDone={onDone}
              />
              <TimelinePanel client={client} accountId={accountId} revision={current.revision} />
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}
