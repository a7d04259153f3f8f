import { accountsProjection } from './accounts.projection';
import { analyticsProjection } from './analytics/analytics.projection';
import { holdsProjection } from './holds.projection';
import type { Projection } from './projection';
import { transactionsProjection } from './transactions.projection';
import { transfersProjection } from './transfers.projection';

/**
 * Every projection, each with its own checkpoint, advisory lock and projector. They read the same
 * log independently, so one can be rebuilt while the other keeps serving. (`ledger rebuild` of
 * all of them shares one read of the log among their projectors: ops/rebuild.ts.)
 */
export const PROJECTIONS: readonly Projection[] = [
  accountsProjection,
  transactionsProjection,
  holdsProjection,
  analyticsProjection,
  transfersProjection,
];

/** The projection GET /v1/transfers/{transferId} reads (and `?after=` waits for). */
export const TRANSFERS_PROJECTION = transfersProjection.name;

/** The projection GET /v1/accounts/{id}/transactions reads (and `?after=` waits for). */
export const HISTORY_PROJECTION = transactionsProjection.name;

export function projectionNamed(name: string): Projection | undefined {
  return PROJECTIONS.find((projection) => projection.name === name);
}
