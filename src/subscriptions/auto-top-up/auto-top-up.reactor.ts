import type { LedgerEventType } from '../../ledger/events';
import type { Projection } from '../../../projections/projection';
import type { AutoTopUpRepository } from './auto-top-up.repository';

/**
 * The events after which available credits may have fallen through use. Not an admin's adjustment
 * down (CreditsAdjusted): a correction must not charge the customer's card by itself; the next
 * spend flags the account as usual.
 */
const LOWERING: ReadonlySet<LedgerEventType> = new Set<LedgerEventType>([
  'CreditsSpent',
  'CreditsReserved',
  'CreditsExpired',
  'PurchaseReversed',
]);

/**
 * Reacts to the global log (ReactorRegistry), never polls balances: an event that can lower an
 * account's available credits flags the account, if its auto top-up is on, for the worker, which
 * reads the balance and charges (never inside the spend request, never while answering a webhook).
 * One statement per batch, in the projector's transaction; idempotent (a flag set twice is one).
 */
export function autoTopUpReactor(repository: AutoTopUpRepository): Projection {
  return {
    name: 'auto-top-up',
    tables: [],
    description: 'auto top-up: flags accounts whose available credits may have fallen (reactor)',
    affectedBy: ({ event }) => LOWERING.has(event.type),
    async apply(client, events) {
      const accounts = new Set<string>();
      for (const { accountId, event } of events)
        if (LOWERING.has(event.type)) accounts.add(accountId);
      await repository.requestChecks(client, [...accounts]);
    },
  };
}
