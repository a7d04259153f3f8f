import { purchaseClaimOf } from '../../accounts/write-path/purchase-claims';
import { copyStreams, type CopyProgress } from '../../event-store/copy-streams';
import type { EventStore } from '../../event-store/event-store.port';
import { STREAM_PREFIX } from '../../ledger/limits';
import { CREDIT_PACKS_STREAM } from '../../payments/catalog/catalog-events';
import { RATE_CARD_STREAM } from '../../pricing/rate-card-stream';
import { PLANS_STREAM } from '../../subscriptions/plans/plan-catalog-state';

/**
 * Every stream the service keeps in its event store, by prefix: the accounts, the rate card's
 * versions, the credit-pack catalog and the subscription plans. A store moved without the catalogs
 * would start again from the default card, a fresh seed of packs and no plans, and lose their
 * audit trail.
 */
export const LEDGER_STREAM_PREFIXES = [
  STREAM_PREFIX,
  RATE_CARD_STREAM,
  CREDIT_PACKS_STREAM,
  PLANS_STREAM,
];

export interface LedgerCopyOptions {
  batchSize: number;
  onProgress?: (progress: CopyProgress) => void;
}

/** Copies each kind of stream in turn (idempotent: a rerun skips what the target has). */
export async function copyLedgerStreams(
  source: EventStore,
  target: EventStore,
  options: LedgerCopyOptions,
): Promise<CopyProgress> {
  const total: CopyProgress = { copied: 0, skipped: 0, unclaimed: 0, position: null };
  for (const streamPrefix of LEDGER_STREAM_PREFIXES) {
    const done = await copyStreams(source, target, {
      streamPrefix,
      batchSize: options.batchSize,
      // Each purchase claims its reference in the target too (one payment, one purchase).
      claimOf: (event) => purchaseClaimOf([event]),
      onProgress: (progress) =>
        options.onProgress?.({
          ...progress,
          copied: total.copied + progress.copied,
          skipped: total.skipped + progress.skipped,
        }),
    });
    total.copied += done.copied;
    total.skipped += done.skipped;
    total.unclaimed += done.unclaimed;
  }
  return total;
}
