import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, type CreditPackSeed } from '../config/app-config';
import {
  EVENT_STORE,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '../event-store/event-store.port';
import { Clock } from '../shared/clock';
import { timeOrderedUuid } from '../shared/time-ordered-uuid';
import type { CreditPack } from './catalog/credit-pack';
import {
  CATALOG_SCHEMA_VERSION,
  CREDIT_PACKS_STREAM,
  isCatalogEventType,
  type CatalogEvent,
} from './catalog/catalog-events';
import { CatalogConcurrencyError } from './catalog/catalog-errors';
import { emptyCatalog, foldCatalog, type CatalogState } from './catalog/catalog-state';
import {
  decideCatalog,
  seedEvents,
  type CatalogChangeContext,
  type CatalogCommand,
  type CatalogDecision,
} from './catalog/decide-catalog';

/**
 * Optimistic attempts of one change before 409 `concurrency_conflict`: each lost race means another
 * admin's change landed, so a few are plenty.
 */
const MAX_CHANGE_ATTEMPTS = 5;

export interface CatalogChangeResult extends CatalogDecision {
  /** The catalog's revision after the change (or as it was, when nothing changed). */
  revision: number;
  /** Global position of the change's event; null when nothing was written. */
  position: string | null;
  /** The catalog right after the change (what the answer's saving is measured in). */
  catalog: CatalogState;
}

/**
 * The credit-pack catalog: an event-sourced stream (`credit-packs`, catalog-events.ts) folded into
 * the catalog's state, kept here and brought up to date from the stream's tail on every use, so
 * every instance sees every other's changes at its next request (one small read, usually empty).
 *
 * The first use on an empty store writes the seed (CREDIT_PACKS, or the default three) as the
 * stream's first events, by `system`: from then on the stream is the catalog and the setting is
 * no longer read. Seeding lazily (not at start-up) keeps processes that never sell packs from
 * writing anything; two instances seeding at once both expect an empty stream, so one wins and the
 * other reads its seed.
 */
@Injectable()
export class CreditPackCatalog {
  private readonly logger = new Logger(CreditPackCatalog.name);
  private state: CatalogState = emptyCatalog();
  /** The last change of this process, the next one waits for it. */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The catalog as the store has it now, every pack ever created included. */
  async current(): Promise<CatalogState> {
    for (;;) {
      const state = await this.refresh();
      if (state.revision !== NO_STREAM_REVISION) return state;
      if (await this.seed()) return this.state;
    }
  }

  /**
   * Decides the change on the newest catalog and appends it expecting that revision; when another
   * instance got there first, decides again on what it wrote. Changes in this process go one at a
   * time, so they never race each other (only other instances can make a change retry).
   */
  change(
    command: CatalogCommand,
    context: Omit<CatalogChangeContext, 'now'>,
  ): Promise<CatalogChangeResult> {
    const result = this.changes.then(() => this.changeNow(command, context));
    this.changes = result.catch(() => undefined);
    return result;
  }

  private async changeNow(
    command: CatalogCommand,
    context: Omit<CatalogChangeContext, 'now'>,
  ): Promise<CatalogChangeResult> {
    for (let attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt += 1) {
      const state = await this.current();
      const decision = decideCatalog(state, command, { ...context, now: this.clock.now() });
      if (decision.events.length === 0)
        return { ...decision, revision: state.revision, position: null, catalog: state };
      try {
        const appended = await this.eventStore.appendToStream(
          CREDIT_PACKS_STREAM,
          decision.events.map(toNewEvent),
          { expectedRevision: state.revision },
        );
        const catalog = foldCatalog(state, decision.events);
        this.apply(state, catalog);
        this.logger.log(
          {
            command: command.kind,
            packId: decision.pack.packId,
            actor: context.actor,
            revision: appended.lastRevision,
          },
          'credit-pack catalog changed',
        );
        return {
          ...decision,
          revision: appended.lastRevision,
          position: appended.position,
          catalog,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new CatalogConcurrencyError(MAX_CHANGE_ATTEMPTS);
  }

  /** The catalog's events about one pack, oldest first (its audit trail). */
  async history(packId: string): Promise<RecordedEvent[]> {
    const events = await this.eventStore.readStream(CREDIT_PACKS_STREAM);
    return events.filter((event) => toCatalogEvent(event).data.pack.packId === packId);
  }

  /** Reads the stream after what is folded and folds it. */
  private async refresh(): Promise<CatalogState> {
    const known = this.state;
    const tail = await this.eventStore.readStream(CREDIT_PACKS_STREAM, {
      fromRevision: known.revision + 1,
    });
    // Another call may have folded part of this tail while we read: fold only what is still new.
    const current = this.state;
    const fresh = tail.filter((event) => event.revision > current.revision);
    if (fresh.length > 0) this.state = foldCatalog(current, fresh.map(toCatalogEvent));
    return this.state;
  }

  /** Writes the seed into an empty stream; false when another writer created the stream first. */
  private async seed(): Promise<boolean> {
    const { packs, seededFrom } = this.seedPacks();
    const events = seedEvents(packs, seededFrom, this.clock.now());
    try {
      await this.eventStore.appendToStream(CREDIT_PACKS_STREAM, events.map(toNewEvent), {
        expectedRevision: NO_STREAM_REVISION,
      });
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
    const empty = emptyCatalog();
    this.apply(empty, foldCatalog(empty, events));
    this.logger.log(
      { packs: packs.map((pack) => pack.packId), seededFrom },
      'credit-pack catalog seeded',
    );
    return true;
  }

  /** Keeps the catalog after our own append, unless a concurrent refresh already moved past it. */
  private apply(base: CatalogState, after: CatalogState): void {
    if (this.state.revision === base.revision) this.state = after;
  }

  private seedPacks(): { packs: CreditPack[]; seededFrom: 'CREDIT_PACKS' | 'default' } {
    return {
      packs: this.config.creditPacks.map(fromSeed),
      seededFrom: this.config.creditPacksFromEnv ? 'CREDIT_PACKS' : 'default',
    };
  }
}

function fromSeed(seed: CreditPackSeed): CreditPack {
  return {
    packId: seed.packId,
    name: seed.name,
    credits: seed.credits,
    bonusCredits: seed.bonusCredits,
    price: { minor: seed.price.minor, currency: seed.price.currency },
    stripePriceId: seed.stripePriceId,
    popular: seed.popular,
    active: true,
    availableFrom: null,
    availableUntil: null,
    expiresAfterDays: seed.expiresAfterDays,
  };
}

function toNewEvent(event: CatalogEvent) {
  return {
    eventId: timeOrderedUuid(),
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: event.metadata as unknown as Record<string, unknown>,
  };
}

/** A recorded event of the catalog stream as the fold reads it; anything else is a corrupt stream. */
export function toCatalogEvent(recorded: RecordedEvent): CatalogEvent {
  const version = recorded.metadata.schemaVersion;
  if (!isCatalogEventType(recorded.type) || version !== CATALOG_SCHEMA_VERSION)
    throw new Error(
      `${CREDIT_PACKS_STREAM}@${recorded.revision}: unknown catalog event ${recorded.type} (schemaVersion ${String(version)})`,
    );
  return {
    type: recorded.type,
    data: recorded.data,
    metadata: recorded.metadata,
  } as unknown as CatalogEvent;
}
