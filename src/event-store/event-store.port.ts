/**
 * The event store port. Every adapter (PostgreSQL, EventStoreDB, in-memory) implements it and
 * passes the same contract suite (test/event-store/event-store.contract.ts).
 *
 * Revision convention for the whole port: a stream's events are numbered 0, 1, 2, … and a
 * stream's revision is the number of its last event; a stream that does not exist (no events)
 * is at NO_STREAM_REVISION, -1, so the next event's revision is always `revision + 1`. The domain
 * counts the same way (an account with no events is at revision -1). Revisions are JS numbers: a
 * stream never gets near 2^53 events.
 *
 * Global positions are opaque strings owned by the adapter that produced them; only the adapter
 * can compare them (`comparePositions`).
 */
export type StreamRevision = number;
export type GlobalPosition = string;

/** The revision of a stream that does not exist: before its first event, which will be 0. */
export const NO_STREAM_REVISION = -1;

/** The revision an append expects the stream at (NO_STREAM_REVISION: must not exist), or 'any'. */
export type ExpectedRevision = StreamRevision | 'any';

export interface EventMetadata {
  [key: string]: unknown;
}

export interface NewEvent {
  /** Set by the caller (a UUID) so a retried append is recognisable. */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  revision: StreamRevision;
  position: GlobalPosition;
  recordedAt: Date;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
  /**
   * A value this stream takes for good, store-wide (a payment's reference): no two streams ever
   * hold the same claim. The append and the claim happen together or not at all — a failed or
   * refused append never leaves the value taken (see each adapter for how) — and a claim the stream
   * already holds is no obstacle. When another stream holds it: ClaimHeldElsewhereError, nothing
   * written. Needs a known expectation (a revision, NO_STREAM_REVISION included, not 'any') and at
   * least one event.
   */
  claim?: string;
}

export interface AppendResult {
  /** Revision of the last event appended (of an empty append: the stream's current revision). */
  lastRevision: StreamRevision;
  /** Global position of the last event appended. */
  position: GlobalPosition;
}

export interface ExclusiveAppendRequest {
  /** The caller already knows the stream up to this revision (NO_STREAM_REVISION: nothing). */
  knownRevision: StreamRevision;
  /** Given the events after knownRevision, the events to append (none: write nothing). */
  decide(tail: RecordedEvent[]): NewEvent[];
  /** The claim (AppendOptions.claim) the decided events make, if any. */
  claimFor?(events: readonly NewEvent[]): string | undefined;
}

export interface ExclusiveAppendResult {
  /** The events that were after knownRevision when the stream was held. */
  tail: RecordedEvent[];
  /** Null when decide chose to append nothing. */
  appended: AppendResult | null;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: StreamRevision;
  /** At most this many events. Default: all. */
  maxCount?: number;
}

/** One stream's tail to read: its events from `fromRevision` on (see `readStreamTails`). */
export interface StreamTailRequest {
  streamId: string;
  fromRevision: StreamRevision;
}

/** Streams one `readStreamTails` call may name. */
export const MAX_STREAM_TAILS_PER_READ = 500;

/** Events of one stream whose `data[dataField]` is the string `equals`, up to a revision. */
export interface StreamQuery {
  dataField: string;
  equals: string;
  /** Last revision to look at (inclusive). */
  throughRevision: StreamRevision;
  /**
   * The type of the earliest matching event, when the caller knows that one event of this type
   * matches and no match comes before it (a spend before its refunds). An adapter that reads the
   * stream backwards stops there instead of at revision 0; the answer is the same either way.
   */
  firstMatchType?: string;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Null = from the beginning. */
  after: GlobalPosition | null;
  /** Batch size; adapters cap it. */
  maxCount: number;
  /** Only streams whose id starts with this prefix (e.g. `credits-`). */
  streamPrefix?: string;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /**
   * Where the next read should continue from. May move past `events` when the adapter skipped
   * filtered events (EventStoreDB's checkpoint); null when nothing was read and nothing skipped.
   */
  lastPosition: GlobalPosition | null;
}

export interface EventStore {
  /**
   * Appends atomically if the stream is at `expectedRevision`, else throws
   * WrongExpectedRevisionError and writes nothing. An empty `events` array writes nothing but
   * still checks the expectation; it returns the stream's current revision (NO_STREAM_REVISION when
   * the stream does not exist) and the position of its last event (a position before every event
   * when none).
   */
  appendToStream(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * Optional (PostgreSQL has it, EventStoreDB does not): while no other writer can append to the
   * stream, reads the events after `knownRevision`, lets `decide` choose the events to append given
   * that tail, and appends them. The pessimistic fallback after an optimistic conflict: whoever
   * holds the stream cannot lose the race again, so a busy stream cannot starve a writer.
   * A stream that does not exist yet cannot be held: then it behaves like an optimistic append
   * (WrongExpectedRevisionError if another writer creates it first).
   */
  appendExclusive?(
    streamId: string,
    request: ExclusiveAppendRequest,
  ): Promise<ExclusiveAppendResult>;
  /** A missing stream reads as empty, not an error. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * The tails of many streams in one read: for each request, in the requests' order, at most
   * `maxCountPerStream` of its events from its revision on (a missing stream has none). At most
   * MAX_STREAM_TAILS_PER_READ requests, each stream at most once. PostgreSQL answers with one
   * query, so the write path can bring many cached states up to date for the price of one round
   * trip (strongly consistent balance, check and quote reads under load); other stores read the
   * streams concurrently.
   */
  readStreamTails(
    requests: readonly StreamTailRequest[],
    maxCountPerStream: number,
  ): Promise<RecordedEvent[][]>;
  /**
   * The events of a stream matching `query`, in revision order; a missing stream has none. Rare
   * look-ups (a refund of a spend the cached state forgot): PostgreSQL filters on the server
   * along the stream's revisions, EventStoreDB reads backwards from the revision in pages and
   * filters here, stopping at `firstMatchType` when given.
   */
  findInStream(streamId: string, query: StreamQuery): Promise<RecordedEvent[]>;
  /** The current revision of a stream: NO_STREAM_REVISION when it does not exist. */
  streamRevision(streamId: string): Promise<StreamRevision>;
  /**
   * Reads the global, commit-ordered log. Never returns an event whose writing transaction might
   * still be followed by an earlier-positioned commit: a reader that checkpoints on the returned
   * positions sees every committed event exactly once.
   */
  readAll(options: ReadAllOptions): Promise<ReadAllResult>;
  /** Negative if a is before b, 0 if equal, positive if after. */
  comparePositions(a: GlobalPosition, b: GlobalPosition): number;
  /** Cheap reachability check for readiness probes. Throws when unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The dependency-injection token for the active EventStore. */
export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision,
  ) {
    super(
      `stream ${streamId}: expected revision ${revisionText(expected)}, actual ${revisionText(actual)}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** As log lines have always shown it: a missing stream is `no_stream`. */
function revisionText(revision: ExpectedRevision): string {
  return revision === NO_STREAM_REVISION ? 'no_stream' : String(revision);
}

/**
 * An appended event id is already recorded (event ids are unique across the store) or repeats
 * within the batch; nothing was written. Adapters that recognise an identical retried append as
 * idempotent (EventStoreDB) may succeed instead.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
  ) {
    super(`stream ${streamId}: event id(s) already recorded: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * The append's claim (AppendOptions.claim) is held by another stream; nothing was written.
 * `holderStreamId` is for the caller's own records, not for a client of another stream.
 */
export class ClaimHeldElsewhereError extends Error {
  constructor(
    readonly streamId: string,
    readonly claim: string,
    readonly holderStreamId: string,
  ) {
    super(`stream ${streamId}: claim ${JSON.stringify(claim)} is held by another stream`);
    this.name = 'ClaimHeldElsewhereError';
  }
}

/** The event store could not be reached or failed; the operation may be retried later. */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * The store refuses more work for now: too many appends are already waiting for it (the PostgreSQL
 * adapter's group-commit queue). Nothing was written; the operation may be retried shortly.
 */
export class EventStoreSaturatedError extends Error {
  constructor(readonly pendingLimit: number) {
    super(`more than ${pendingLimit} appends are waiting for the event store`);
    this.name = 'EventStoreSaturatedError';
  }
}
