import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../event-store/event-store.port';
import type { Actor } from '../ledger/events';
import { timeOrderedUuid } from '../shared/time-ordered-uuid';
import { RateCardInvalidError, RateCardStreamError } from './errors';
import type { RateCard } from './rate-card/rate-card';
import {
  evolveRateCard,
  INITIAL_RATE_CARD_STATE,
  streamRevisionOf,
  type PublishDecision,
  type RateCardState,
} from './rate-card/rate-card-decider';
import {
  RATE_CARD_PUBLISHED,
  type RateCardPublished,
  type RateCardPublishedData,
} from './rate-card/rate-card-events';

/**
 * The rate card's stream. Not `credits-…`: no account stream can have this id, and the projectors,
 * the audit and copy-events, which read the `credits-` prefix, never see it.
 */
export const RATE_CARD_STREAM = 'rate-card';
/** Bumped (with an upcast of older events) if RateCardPublished's shape ever changes. */
export const RATE_CARD_SCHEMA_VERSION = 1;

/** Who publishes, for the event's metadata (the audit trail of prices). */
export interface Publisher {
  correlationId: string;
  actor: Actor;
}

/**
 * The card's stream on the event-store port: version n is the event at revision n − 1, so every
 * read here is one event (never a replay), and a publication appends with the revision of the
 * version it was decided on as the expectation (optimistic concurrency).
 */
@Injectable()
export class RateCardStream {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The newest version published (0: none). One look at the stream's revision. */
  async newestVersion(): Promise<number> {
    return (await this.store.streamRevision(RATE_CARD_STREAM)) + 1;
  }

  /** A published version, or null when there is none (version 0 is never in the stream). */
  async read(version: number): Promise<RateCard | null> {
    if (!Number.isSafeInteger(version) || version < 1) return null;
    const [recorded] = await this.store.readStream(RATE_CARD_STREAM, {
      fromRevision: version - 1,
      maxCount: 1,
    });
    return recorded ? cardOf(recorded) : null;
  }

  /**
   * Appends a card decided on `state`, expecting the stream still at `state`'s revision; throws the
   * port's WrongExpectedRevisionError when another publisher came first. Returns the new state.
   */
  async append(
    state: RateCardState,
    event: RateCardPublished,
    publisher: Publisher,
  ): Promise<RateCardState> {
    await this.store.appendToStream(RATE_CARD_STREAM, [toNewEvent(event, publisher)], {
      expectedRevision: streamRevisionOf(state),
    });
    return evolveRateCard(state, event);
  }

  /** Whether the store can hold the stream while deciding (PostgreSQL, in-memory). */
  get canHold(): boolean {
    return typeof this.store.appendExclusive === 'function';
  }

  /**
   * Holds the stream, folds what was published after `known`, decides on the newest card and
   * appends: a publisher that holds the stream cannot lose the race again. On a stream that does
   * not exist yet the store appends optimistically (WrongExpectedRevisionError when another
   * publisher creates it first).
   */
  async appendHeld(
    known: RateCardState,
    decide: (state: RateCardState) => PublishDecision,
    publisher: Publisher,
  ): Promise<RateCardState> {
    const outcome: { published?: RateCardState } = {};
    await this.store.appendExclusive!(RATE_CARD_STREAM, {
      knownRevision: streamRevisionOf(known),
      decide: (tail) => {
        const state = tail.reduce((folded, recorded) => cardOf(recorded, folded), known);
        const decision = decide(state);
        // Validation does not depend on the state: a card valid before is valid now.
        if (decision.kind === 'rejected') throw new RateCardInvalidError(decision.problems);
        outcome.published = evolveRateCard(state, decision.event);
        return [toNewEvent(decision.event, publisher)];
      },
    });
    if (!outcome.published) throw new RateCardStreamError('the held append decided nothing');
    return outcome.published;
  }
}

function toNewEvent(event: RateCardPublished, publisher: Publisher): NewEvent {
  return {
    eventId: timeOrderedUuid(),
    type: event.type,
    data: { ...event.data },
    metadata: {
      occurredAt: event.data.publishedAt,
      correlationId: publisher.correlationId,
      actor: publisher.actor,
      schemaVersion: RATE_CARD_SCHEMA_VERSION,
    },
  };
}

/** The card a recorded publication makes, checked against where it sits in the stream. */
function cardOf(recorded: RecordedEvent, state: RateCardState = INITIAL_RATE_CARD_STATE): RateCard {
  const data = recorded.data as unknown as RateCardPublishedData;
  if (recorded.type !== RATE_CARD_PUBLISHED || data.version !== recorded.revision + 1) {
    throw new RateCardStreamError(
      `${RATE_CARD_STREAM} revision ${recorded.revision}: expected ${RATE_CARD_PUBLISHED} of version ${recorded.revision + 1}, found ${recorded.type}`,
    );
  }
  return evolveRateCard(state, { type: RATE_CARD_PUBLISHED, data });
}
