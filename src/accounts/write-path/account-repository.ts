import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import {
  EVENT_STORE,
  NO_STREAM_REVISION,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import { cloneState, evolve, initialState } from '../../ledger/decider';
import type { LedgerEvent } from '../../ledger/events';
import { streamIdFor } from '../../ledger/limits';
import type { LedgerOptions, LedgerState } from '../../ledger/state';
import { toLedgerEvent } from '../../ledger/upcast';
import { timeOrderedUuid } from '../../shared/time-ordered-uuid';
import { AccountSnapshots, SNAPSHOT_AFTER_EVENTS } from './account-snapshots';
import { purchaseClaimOf } from './purchase-claims';
import { AccountStateCache, type AccountCacheStats } from './account-state-cache';
import { TailReader } from './tail-reader';

/**
 * Loads and saves account streams, keeping a bounded cache of folded states so a command costs
 * one append instead of a replay. Callers take turns per account (AccountMailbox): the cached
 * state is folded in place and must not be touched by two tasks at once. A refund of a spend the
 * state forgot finds it through SpendRecall, never through the state.
 */
@Injectable()
export class AccountRepository {
  private readonly cache: AccountStateCache;
  private readonly tails: TailReader;

  private readonly logger = new Logger(AccountRepository.name);

  /** One object for every state: options are read only. */
  private readonly ledgerOptions: LedgerOptions;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly config: AppConfig,
    @Optional() private readonly snapshots?: AccountSnapshots,
  ) {
    this.cache = new AccountStateCache({
      maxStates: config.accountCacheMaxEntries,
      maxBytes: config.accountCacheMaxBytes,
      activeStates: config.accountCacheActiveStates,
    });
    this.tails = new TailReader(eventStore);
    this.ledgerOptions = Object.freeze({
      idempotencyRetentionMs: config.idempotencyRetentionMs,
      recentSpendsKept: config.recentSpendsPerAccount,
    });
  }

  /** The cached state if there is one (possibly stale), else the stream folded from the start. */
  async load(accountId: string): Promise<LedgerState> {
    return this.cache.get(accountId) ?? this.refresh(accountId);
  }

  /**
   * The state including every event in the store now: the cached state (or else the snapshot, or
   * else nothing) plus the stream's tail. A long fold leaves a snapshot for the next cold load.
   */
  async refresh(accountId: string): Promise<LedgerState> {
    const streamId = streamIdFor(accountId);
    const state =
      this.cache.get(accountId) ?? (await this.loadSnapshot(streamId)) ?? this.newState();
    // A known state's tail is usually empty or short: grouped with other accounts' reads. A cold
    // load reads the whole stream on its own.
    const tail =
      state.revision === NO_STREAM_REVISION
        ? await this.eventStore.readStream(streamId)
        : await this.tails.read(streamId, state.revision + 1);
    for (const recorded of tail) evolve(state, toLedgerEvent(recorded));
    this.cache.set(accountId, state);
    if (tail.length >= SNAPSHOT_AFTER_EVENTS) this.saveSnapshot(streamId, state);
    return state;
  }

  private async loadSnapshot(streamId: string): Promise<LedgerState | null> {
    if (!this.snapshots) return null;
    try {
      const snapshot = await this.snapshots.load(streamId);
      // Options are configuration, not history: the current ones apply.
      return snapshot ? { ...snapshot, options: this.ledgerOptions } : null;
    } catch (error) {
      this.logger.warn({ streamId, err: error }, 'snapshot unreadable; folding the stream');
      return null;
    }
  }

  /** Off the command's path: written from a copy, failures only logged. */
  private saveSnapshot(streamId: string, state: LedgerState): void {
    if (!this.snapshots) return;
    const copy = cloneState(state);
    void this.snapshots
      .save(streamId, copy)
      .catch((error: unknown) => this.logger.warn({ streamId, err: error }, 'snapshot not saved'));
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }

  /**
   * Appends `events`, which the caller has already folded into `state` on top of `baseRevision`
   * (deciding several commands in a row needs each one's effect). On success `state` is the cached
   * state; on any failure it is dropped, so the next load reads the stream again. A purchase among
   * the events claims its reference (ClaimHeldElsewhereError when another account holds it).
   */
  async appendFolded(
    accountId: string,
    state: LedgerState,
    baseRevision: number,
    events: LedgerEvent[],
  ): Promise<AppendResult> {
    try {
      const result = await this.eventStore.appendToStream(
        streamIdFor(accountId),
        events.map(toNewEvent),
        {
          expectedRevision: baseRevision,
          claim: purchaseClaimOf(events),
        },
      );
      this.cache.keep(accountId, state);
      return result;
    } catch (error) {
      this.forget(accountId);
      throw error;
    }
  }

  get supportsExclusiveAppend(): boolean {
    return typeof this.eventStore.appendExclusive === 'function';
  }

  /**
   * Holds the stream (where the store can), folds in what others wrote since `state`, lets
   * `decideAndFold` decide on that up-to-date state (folding its own events in; it is also given
   * the tail just folded), and appends what it returns. Returns null when nothing was appended.
   */
  async appendExclusive(
    accountId: string,
    state: LedgerState,
    decideAndFold: (current: LedgerState, tail: readonly LedgerEvent[]) => LedgerEvent[],
  ): Promise<AppendResult | null> {
    try {
      const { appended } = await this.eventStore.appendExclusive!(streamIdFor(accountId), {
        knownRevision: state.revision,
        decide: (recordedTail) => {
          const tail = recordedTail.map(toLedgerEvent);
          for (const event of tail) evolve(state, event);
          return decideAndFold(state, tail).map(toNewEvent);
        },
        claimFor: purchaseClaimOf,
      });
      this.cache.keep(accountId, state);
      return appended;
    } catch (error) {
      this.forget(accountId);
      throw error;
    }
  }

  /** Events by revision range, e.g. to answer an idempotent replay with its original position. */
  readRange(accountId: string, fromRevision: number, toRevision: number): Promise<RecordedEvent[]> {
    return this.eventStore.readStream(streamIdFor(accountId), {
      fromRevision,
      maxCount: toRevision - fromRevision + 1,
    });
  }

  /** Every event of the account's stream, as recorded, in stream order. */
  readStream(accountId: string): Promise<RecordedEvent[]> {
    return this.eventStore.readStream(streamIdFor(accountId));
  }

  newState(): LedgerState {
    return initialState(this.ledgerOptions);
  }

  get cachedAccounts(): number {
    return this.cache.stats().states;
  }

  /** For the cache's metrics (account-cache-metrics.ts). */
  cacheStats(): AccountCacheStats {
    return this.cache.stats();
  }
}

function toNewEvent(event: LedgerEvent): NewEvent {
  return {
    eventId: timeOrderedUuid(),
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as Record<string, unknown>,
  };
}
