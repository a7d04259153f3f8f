import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type Position,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
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
import { validateClaim, validateStreamQuery } from '../validate-input';
import { EventStoreDbClaims } from './eventstoredb-claims';
import { findInStreamBackwards } from './eventstoredb-find-in-stream';
import { EVENTSTOREDB_STORE_KIND } from './store-kind';
import {
  EventStoreDbSubscriptionSource,
  type EventStoreDbSubscriptionOptions,
} from './eventstoredb-subscription';
import {
  compareEsdbPositions,
  comparePositions,
  decodePosition,
  encodePosition,
  failedAppendError,
  fromEsdbRevision,
  toEsdbExpectedRevision,
  toEsdbRevision,
  toEventData,
  toRecordedEvent,
  translateError,
} from './eventstoredb-translation';
import { readStreamTailsOneByOne } from '../stream-tails';

export interface EventStoreDbEventStoreOptions {
  /**
   * Bound on ping. Default 1.5 s: inside the readiness probe's own 2 s, so /health/ready shows
   * this adapter's message rather than a generic timeout.
   */
  pingTimeoutMs?: number;
  /** Most events one readAll returns, whatever the caller asks. Default 1000. */
  maxReadAllBatch?: number;
  /**
   * Most records one readAll scans past (other streams, system events) before it returns what it
   * has with a checkpoint. Bounds the cost of one call on a busy shared server. Default 4096.
   */
  readAllScanWindow?: number;
}

/** The log's first record is the server's own epoch record, never an event. */
const BEFORE_EVERY_EVENT: Position = { commit: 0n, prepare: 0n };

/** A stream nobody writes: reading it is the cheapest round trip that proves the server answers. */
const PING_STREAM = 'ledger-ping-never-written';

/**
 * The EventStore port on EventStoreDB / KurrentDB. One stream per account (`credits-<id>`); the
 * server enforces expected revisions, so no locks are needed here. All translation is in
 * eventstoredb-translation.ts; claims (a stream per claimed value) in eventstoredb-claims.ts.
 */
export class EventStoreDbEventStore implements EventStore {
  /** What isEventStoreDb looks for (is-eventstoredb.ts): code that must not load this module. */
  readonly storeKind = EVENTSTOREDB_STORE_KIND;
  private readonly pingTimeoutMs: number;
  private readonly maxReadAllBatch: number;
  private readonly readAllScanWindow: number;
  private readonly claims: EventStoreDbClaims;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.claims = new EventStoreDbClaims(client);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 1500;
    this.maxReadAllBatch = options.maxReadAllBatch ?? 1000;
    this.readAllScanWindow = options.readAllScanWindow ?? 4096;
  }

  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expectedRevision = toEsdbExpectedRevision(options.expectedRevision);
    validateClaim(options.claim, events, options.expectedRevision);
    if (events.length === 0) return this.checkExpectation(streamId, options.expectedRevision);
    // The port refuses an id repeated within a batch; the server's answer to one is not ours to
    // rely on. Ids already recorded are left to the server: an identical retried append is
    // acknowledged as a duplicate (idempotent), which the port allows for this adapter.
    const repeated = events
      .map((event) => event.eventId)
      .filter((id, index, ids) => ids.indexOf(id) !== index);
    if (repeated.length > 0) throw new DuplicateEventIdError(streamId, [...new Set(repeated)]);
    const data = events.map(toEventData);
    // The claim stream first (eventstoredb-claims.ts): no atomic append to two streams here.
    if (options.claim !== undefined)
      await this.claims.claim(
        streamId,
        options.claim,
        options.expectedRevision as StreamRevision,
        events,
      );
    try {
      const result = await this.client.appendToStream(streamId, data, { expectedRevision });
      if (!result.success)
        throw failedAppendError(streamId, options.expectedRevision, result.nextExpectedRevision);
      // What db-client calls the next expected revision is that of the last event written.
      const lastRevision = fromEsdbRevision(result.nextExpectedRevision);
      // A one-event write's result position is that event's $all position. For several events
      // the server reports the write as a whole, which is not reliably the last event's own
      // (commit, prepare) pair, so read that back: the port promises the last event's position.
      const position =
        events.length === 1 && result.position
          ? result.position
          : await this.positionOf(streamId, lastRevision);
      return { lastRevision, position: encodePosition(position) };
    } catch (error) {
      throw translateError(error, { streamId, expected: options.expectedRevision });
    }
  }

  readStreamTails(
    requests: readonly StreamTailRequest[],
    maxCountPerStream: number,
  ): Promise<RecordedEvent[][]> {
    return readStreamTailsOneByOne(this, requests, maxCountPerStream);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamId, {
      direction: FORWARDS,
      fromRevision: toEsdbRevision(options.fromRevision ?? 0),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) events.push(toRecordedEvent(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return []; // a missing stream is an empty one
      throw translateError(error, { streamId });
    }
    return events;
  }

  /** Backwards from the revision in pages, stopping at `firstMatchType`: eventstoredb-find-in-stream.ts. */
  async findInStream(streamId: string, query: StreamQuery): Promise<RecordedEvent[]> {
    validateStreamQuery(query);
    return findInStreamBackwards(this.client, streamId, query);
  }

  async streamRevision(streamId: string): Promise<StreamRevision> {
    const [last] = await this.readTail(streamId);
    return last ? last.revision : NO_STREAM_REVISION;
  }

  /**
   * db-client 6 cannot filter readAll on the server (it always sends "no filter"; only
   * subscribeToAll takes one), so this reads $all in order and filters here. It stops at maxCount
   * matching events or after `readAllScanWindow` records, and reports the last record it looked
   * at as `lastPosition` — past skipped records — so a reader never scans them twice. The
   * projector's hot path is the server-filtered subscription (eventstoredb-subscription.ts).
   * $all only ever holds committed records in commit order, so no late commit can appear behind
   * a returned position.
   */
  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    if (!(options.maxCount >= 1))
      throw new RangeError(`readAll maxCount must be at least 1 (got ${options.maxCount})`);
    const limit = Math.min(Math.floor(options.maxCount), this.maxReadAllBatch);
    const after = options.after === null ? null : decodePosition(options.after);
    const prefix = options.streamPrefix;
    // Reading from a position includes the record at it; `after` is exclusive, hence +1.
    const read: StreamingRead<AllStreamResolvedEvent> = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after ?? START,
      maxCount: this.readAllScanWindow + 1,
    });
    const events: RecordedEvent[] = [];
    let lastPosition: Position | null = null;
    let scanned = 0;
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event) continue;
        if (after && compareEsdbPositions(event.position, after) <= 0) continue;
        lastPosition = event.position;
        if (matchesStream(event.streamId, prefix)) {
          events.push(toRecordedEvent(resolved));
          if (events.length >= limit) break;
        }
        if (++scanned >= this.readAllScanWindow) break;
      }
    } catch (error) {
      throw translateError(error);
    } finally {
      await read.cancel().catch(() => undefined); // stops the server-side read after an early break
    }
    return { events, lastPosition: lastPosition === null ? null : encodePosition(lastPosition) };
  }

  comparePositions(a: GlobalPosition, b: GlobalPosition): number {
    return comparePositions(a, b);
  }

  /**
   * Reads a stream that does not exist: "stream not found" proves the server answers. Bounded by
   * our own timer, because streaming reads carry no gRPC deadline and cluster discovery can retry
   * for much longer than a readiness probe may wait.
   */
  async ping(): Promise<void> {
    const read = this.client.readStream(PING_STREAM, {
      direction: FORWARDS,
      fromRevision: START,
      maxCount: 1,
    });
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve, reject) => {
      read.on('data', () => resolve());
      read.on('end', () => resolve());
      // Stays attached after we give up, so a late error is never an unhandled 'error' event.
      read.on('error', (error: Error) =>
        error instanceof StreamNotFoundError ? resolve() : reject(error),
      );
      timer = setTimeout(
        () =>
          reject(
            new EventStoreUnavailableError(
              `EventStoreDB did not answer within ${this.pingTimeoutMs} ms`,
            ),
          ),
        this.pingTimeoutMs,
      );
    });
    try {
      await answered;
    } catch (error) {
      const translated = translateError(error);
      throw translated instanceof EventStoreUnavailableError
        ? translated
        : new EventStoreUnavailableError(
            `EventStoreDB ping failed: ${(error as Error)?.message ?? String(error)}`,
            error,
          );
    } finally {
      clearTimeout(timer);
      // Not awaited: cancel() first waits for the call to exist, which cluster discovery can delay.
      void read.cancel().catch(() => undefined);
    }
  }

  /** The projector's source on this connection: a resilient, filtered subscription to $all. */
  subscribe(options: EventStoreDbSubscriptionOptions): EventStoreDbSubscriptionSource {
    return new EventStoreDbSubscriptionSource(this.client, options);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /**
   * An empty append writes nothing but checks the expectation, and reports the stream's tail
   * (NO_STREAM_REVISION and the position before every event for a missing stream). Read, not
   * written: the answer is as of the read, which is all an empty append can promise anyway.
   */
  private async checkExpectation(
    streamId: string,
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const [last] = await this.readTail(streamId);
    const actual = last ? last.revision : NO_STREAM_REVISION;
    if (expected !== 'any' && expected !== actual)
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    return {
      lastRevision: actual,
      position: last ? last.position : encodePosition(BEFORE_EVERY_EVENT),
    };
  }

  private async readTail(streamId: string): Promise<RecordedEvent[]> {
    const read = this.client.readStream(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) events.push(toRecordedEvent(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error, { streamId });
    }
    return events;
  }

  /** The $all position of one event, read back from its stream. */
  private async positionOf(streamId: string, revision: StreamRevision): Promise<Position> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event)
      throw new Error(`stream ${streamId}: appended revision ${revision} cannot be read back`);
    return decodePosition(event.position);
  }
}

/** Without a prefix, every non-system stream: `$`-streams are the server's own bookkeeping. */
function matchesStream(streamId: string, prefix: string | undefined): boolean {
  return prefix === undefined ? !streamId.startsWith('$') : streamId.startsWith(prefix);
}

/**
 * db-client 6 only parses `esdb://` and `esdb+discover://`; KurrentDB documents `kurrentdb://`
 * and `kdb://` for the same format, and the config accepts them, so rename the scheme.
 */
export function normalizeConnectionString(connectionString: string): string {
  return connectionString
    .trim()
    .replace(
      /^(kurrentdb|kdb)(\+discover)?:\/\//i,
      (_match, _scheme, discover?: string) => `esdb${discover ? '+discover' : ''}://`,
    );
}

/**
 * Creates the adapter. Never connects here: the client connects on first use, so an unreachable
 * server does not stop the process from starting; `ping` then reports it (readiness: not ready).
 * A malformed connection string does throw, at start-up, with the parser's message.
 */
export function createEventStoreDbEventStore(
  connectionString: string,
  options: EventStoreDbEventStoreOptions = {},
): EventStoreDbEventStore {
  const client = EventStoreDBClient.connectionString(normalizeConnectionString(connectionString));
  return new EventStoreDbEventStore(client, options);
}
