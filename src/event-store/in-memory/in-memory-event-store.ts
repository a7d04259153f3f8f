import {
  ClaimHeldElsewhereError,
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExclusiveAppendRequest,
  type ExclusiveAppendResult,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamQuery,
  type StreamTailRequest,
  type StreamRevision,
} from '../event-store.port';
import {
  validateAppend,
  validateClaim,
  validateReadAll,
  validateReadStream,
  validateStreamQuery,
} from '../validate-input';
import { readStreamTailsOneByOne } from '../stream-tails';

/** readAll never returns more than this many events per call (as the PostgreSQL adapter). */
export const IN_MEMORY_READ_ALL_MAX_COUNT = 10_000;

/**
 * The in-memory adapter, for fast domain and handler tests only (never a default): the same
 * semantics as the PostgreSQL adapter, passing the same contract suite. An append checks and
 * writes within one synchronous step, so it is atomic without locks (claims included: a claim is
 * recorded in the same step as the events it comes with). Positions are the decimal
 * string of a counter (1, 2, …); the log is in append order. Data and metadata are stored as JSON
 * (as PostgreSQL and EventStoreDB do) and copied out, so callers cannot change what is stored.
 */
/* eslint-disable @typescript-eslint/require-await -- synchronous inside, `async` on purpose: a throw (a
   validation, a conflict) then reaches the caller as a rejected promise, as from the other adapters */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly eventIds = new Set<string>();
  /** claim → the stream holding it. */
  private readonly claims = new Map<string, string>();

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.appendNow(streamId, events, options);
  }

  private appendNow(streamId: string, events: NewEvent[], options: AppendOptions): AppendResult {
    const expected = options.expectedRevision;
    validateAppend(streamId, events, expected);
    validateClaim(options.claim, events, expected);
    const stream = this.streams.get(streamId) ?? [];
    // NO_STREAM_REVISION (-1) for a stream with no events.
    const actual: StreamRevision = stream.length - 1;
    if (expected !== 'any' && expected !== actual)
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    if (events.length === 0) {
      return { lastRevision: actual, position: stream.at(-1)?.position ?? '0' };
    }
    const recorded = events.filter((event) => this.eventIds.has(event.eventId.toLowerCase()));
    if (recorded.length > 0)
      throw new DuplicateEventIdError(
        streamId,
        recorded.map((event) => event.eventId.toLowerCase()),
      );
    const holder = options.claim === undefined ? undefined : this.claims.get(options.claim);
    if (holder !== undefined && holder !== streamId)
      throw new ClaimHeldElsewhereError(streamId, options.claim!, holder);
    const recordedAt = new Date();
    for (const event of events) {
      const stored: RecordedEvent = {
        eventId: event.eventId.toLowerCase(),
        type: event.type,
        data: asJson(event.data),
        metadata: asJson(event.metadata),
        streamId,
        revision: stream.length,
        position: String(this.log.length + 1),
        recordedAt,
      };
      stream.push(stored);
      this.log.push(stored);
      this.eventIds.add(stored.eventId);
    }
    this.streams.set(streamId, stream);
    if (options.claim !== undefined) this.claims.set(options.claim, streamId);
    const last = stream.at(-1)!;
    return { lastRevision: last.revision, position: last.position };
  }

  /** Atomic without locks: reading the tail, deciding and appending happen in one synchronous step. */
  async appendExclusive(
    streamId: string,
    request: ExclusiveAppendRequest,
  ): Promise<ExclusiveAppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const tail = stream.slice(request.knownRevision + 1).map(copy);
    const events = request.decide(tail);
    if (events.length === 0) return { tail, appended: null };
    return {
      tail,
      appended: this.appendNow(streamId, events, {
        expectedRevision: stream.length - 1,
        claim: request.claimFor?.(events),
      }),
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0;
    const maxCount = options.maxCount ?? Infinity;
    validateReadStream(options);
    const stream = this.streams.get(streamId) ?? [];
    return stream.slice(fromRevision, fromRevision + maxCount).map(copy);
  }

  readStreamTails(
    requests: readonly StreamTailRequest[],
    maxCountPerStream: number,
  ): Promise<RecordedEvent[][]> {
    return readStreamTailsOneByOne(this, requests, maxCountPerStream);
  }

  async findInStream(streamId: string, query: StreamQuery): Promise<RecordedEvent[]> {
    validateStreamQuery(query);
    const stream = this.streams.get(streamId) ?? [];
    return stream
      .slice(0, query.throughRevision + 1)
      .filter((event) => event.data[query.dataField] === query.equals)
      .map(copy);
  }

  async streamRevision(streamId: string): Promise<StreamRevision> {
    return (this.streams.get(streamId)?.length ?? 0) - 1;
  }

  /** Position n is log[n - 1]; with a prefix, lastPosition may move past skipped events. */
  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const count = validateReadAll(options, IN_MEMORY_READ_ALL_MAX_COUNT);
    const events: RecordedEvent[] = [];
    let lastPosition: GlobalPosition | null = null;
    for (
      let index = options.after === null ? 0 : parsePosition(options.after);
      index < this.log.length;
      index++
    ) {
      if (events.length === count) break;
      const event = this.log[index];
      lastPosition = event.position;
      if (event.streamId.startsWith(options.streamPrefix ?? '')) events.push(copy(event));
    }
    return { events, lastPosition };
  }

  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return Math.sign(parsePosition(a) - parsePosition(b));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
/* eslint-enable @typescript-eslint/require-await */

function parsePosition(position: GlobalPosition): number {
  if (!/^\d{1,15}$/.test(position))
    throw new RangeError(`not an in-memory event store position: ${JSON.stringify(position)}`);
  return Number(position);
}

/** Stored as JSON, like the other adapters: a Date becomes a string, undefined fields vanish. */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copy(event: RecordedEvent): RecordedEvent {
  return {
    ...event,
    data: structuredClone(event.data),
    metadata: structuredClone(event.metadata),
    recordedAt: new Date(event.recordedAt),
  };
}
