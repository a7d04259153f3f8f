import { totalsChange } from '../../../projections/ledger/effects';
import type { LedgerEvent } from '../../ledger/events';
import { nextAlertAccount } from '../alerts/alert-rules';
import type { ReactorAccount } from './reactor-store';

/** An account the reactor has not seen yet. */
export function newReactorAccount(accountId: string): ReactorAccount {
  return { accountId, revision: -1, available: 0, reserved: 0, lastTopUp: null };
}

/**
 * The reactor's account after one more event of its stream (pure). The credits come from the read
 * models' own `totalsChange` (projections/ledger/effects.ts), so the reactor's `available` is the
 * ledger's for every event type, the programs' and subscriptions' included
 * (test/notifications/reactor-balance.spec.ts folds a stream of every type against `evolve`).
 */
export function foldReactorAccount(
  before: ReactorAccount,
  event: LedgerEvent,
  revision: number,
): ReactorAccount {
  const change = totalsChange(event);
  const alertAfter = nextAlertAccount(before, event, change.available);
  return {
    accountId: before.accountId,
    revision,
    available: alertAfter.available,
    reserved: before.reserved + change.reserved,
    lastTopUp: alertAfter.lastTopUp,
  };
}
