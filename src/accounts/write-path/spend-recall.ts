import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { LedgerCommand } from '../../ledger/commands';
import {
  foldIntoRecalled,
  refundTargets,
  spendIdsToLookUp,
  type RecalledSpends,
} from '../../ledger/compact-state';
import { streamIdFor } from '../../ledger/limits';
import type { LedgerState } from '../../ledger/state';
import { toLedgerEvent } from '../../ledger/upcast';

/**
 * How a refund finds its spend when the account's state has forgotten it (the state keeps only the
 * most recent spends: ledger/compact-state). Beside AccountRepository: it reads the same stream,
 * but what it returns is decide's input for one batch, never part of the cached state.
 */
@Injectable()
export class SpendRecall {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  /**
   * The spends the refunds among `commands` name, as of `state.revision`: a copy of what the state
   * remembers, else the spend's events looked up in the stream (one query per forgotten spend,
   * only for a refund of one). Whoever folds later events into the state must fold them into these
   * too (foldIntoRecalled): decideBatch does for the batch's own events, the exclusive attempt for
   * the tail it reads.
   */
  async recall(
    accountId: string,
    state: LedgerState,
    commands: Iterable<LedgerCommand>,
  ): Promise<RecalledSpends> {
    const recalled = refundTargets(state, commands);
    for (const spendId of spendIdsToLookUp(state, recalled)) {
      const found = await this.eventStore.findInStream(streamIdFor(accountId), {
        // A spend's CreditsSpent comes before its refunds: a backwards reader can stop there.
        dataField: 'spendId',
        equals: spendId,
        throughRevision: state.revision,
        firstMatchType: 'CreditsSpent',
      });
      for (const recorded of found) foldIntoRecalled(recalled, toLedgerEvent(recorded));
    }
    return recalled;
  }
}
