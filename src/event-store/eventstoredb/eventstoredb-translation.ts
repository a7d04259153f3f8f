/**
 * Every translation between the port and `@eventstore/db-client` lives here, so the adapter and
 * the subscription source stay thin and this file can be unit-tested without a server.
 *
 * Revisions need no arithmetic: EventStoreDB numbers a stream's events 0, 1, 2, … and reports the
 * last one's number as the stream revision — the port's convention exactly. Only the type changes
 * (bigint there, number here), and "no stream" is db-client's NO_STREAM there and the port's
 * NO_STREAM_REVISION (-1) here.
 */
import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  NO_STREAM,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type MetadataType,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type EventMetadata,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
  type StreamRevision,
} from '../event-store.port';

// ---------------------------------------------------------------------------------------------
// Revisions

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === NO_STREAM_REVISION) return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(checkRevision(expected, 'expectedRevision', `, ${NO_STREAM_REVISION} or 'any'`));
}

export function toEsdbRevision(revision: StreamRevision): bigint {
  return BigInt(checkRevision(revision, 'revision'));
}

export function fromEsdbRevision(revision: bigint): StreamRevision {
  // A stream never gets near 2^53 events (port doc); if one did, silently rounding would corrupt
  // optimistic concurrency, so refuse.
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`EventStoreDB revision ${revision} is outside the port's range`);
  }
  return Number(revision);
}

export function fromEsdbCurrentRevision(current: CurrentRevision): StreamRevision {
  return current === NO_STREAM ? NO_STREAM_REVISION : fromEsdbRevision(current);
}

function checkRevision(value: number, what: string, orElse = ''): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer${orElse} (got ${String(value)})`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Global positions: `esdb-<commit>-<prepare>`, decimal. The prefix makes a position from another
// adapter (after switching EVENT_STORE) fail loudly instead of being misread; the characters are
// all URL-unreserved so a position can go into `?after=` as it is.

const POSITION_PATTERN = /^esdb-(\d{1,20})-(\d{1,20})$/;

export function encodePosition(position: Position): GlobalPosition {
  return `esdb-${position.commit.toString(10)}-${position.prepare.toString(10)}`;
}

export function decodePosition(position: GlobalPosition): Position {
  const match = POSITION_PATTERN.exec(position);
  if (!match) throw new RangeError(`not an EventStoreDB position: "${position}"`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

/** $all is ordered by commit position, then prepare position (several events share a commit). */
export function compareEsdbPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  return compareEsdbPositions(decodePosition(a), decodePosition(b));
}

// ---------------------------------------------------------------------------------------------
// Events

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our event id goes to the server as the event's id: EventStoreDB treats a re-sent append with
 * the same ids (and the same expected revision) as a duplicate and acknowledges it without
 * writing twice, which is what makes a retried append recognisable.
 */
export function toEventData(event: NewEvent): EventData {
  if (!UUID_PATTERN.test(event.eventId)) {
    throw new TypeError(`eventId must be a UUID for EventStoreDB (got "${event.eventId}")`);
  }
  if (typeof event.type !== 'string' || event.type === '')
    throw new TypeError('event type must be a non-empty string');
  if (!isPlainObject(event.data))
    throw new TypeError(`event ${event.eventId}: data must be a JSON object`);
  if (!isPlainObject(event.metadata))
    throw new TypeError(`event ${event.eventId}: metadata must be a JSON object`);
  // Metadata is always sent, even `{}`: the server stores it as the event's JSON custom metadata.
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
}

/** The part of a db-client resolved event we read; `ResolvedEvent` and `AllStreamResolvedEvent` both fit. */
/** What the server sends as "no position" on a stream read. */
const NO_POSITION = 2n ** 64n - 1n;

export interface ResolvedLike {
  event?: EsdbRecordedEvent;
}

export function toRecordedEvent(resolved: ResolvedLike): RecordedEvent {
  const event = resolved.event;
  if (!event)
    throw new Error(
      'EventStoreDB returned an unresolved link; the adapter reads without resolveLinkTos',
    );
  if (!event.position || event.position.commit === NO_POSITION) {
    // Servers before 22.6 leave positions out of stream reads (or send 2^64-1); the port needs one.
    throw new Error(
      `EventStoreDB returned event ${event.id} without a position (server 22.6 or later is required)`,
    );
  }
  const where = `${event.streamId}@${event.revision}`;
  return {
    eventId: event.id,
    type: event.type,
    data: decodeData(event.data, where),
    metadata: decodeMetadata(event.metadata, where),
    streamId: event.streamId,
    revision: fromEsdbRevision(event.revision),
    position: encodePosition(event.position),
    recordedAt: event.created,
  };
}

function decodeData(data: unknown, where: string): Record<string, unknown> {
  const value = data instanceof Uint8Array ? parseJsonBytes(data, where, 'data') : data;
  if (!isPlainObject(value)) throw new Error(`event ${where}: data is not a JSON object`);
  return value;
}

/** Written by us, metadata is always a JSON object; an event written without any reads as `{}`. */
export function decodeMetadata(metadata: MetadataType | undefined, where = 'event'): EventMetadata {
  if (metadata === undefined) return {};
  const value =
    metadata instanceof Uint8Array ? parseJsonBytes(metadata, where, 'metadata') : metadata;
  if (!isPlainObject(value)) throw new Error(`event ${where}: metadata is not a JSON object`);
  return value;
}

function parseJsonBytes(bytes: Uint8Array, where: string, what: string): unknown {
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error(`event ${where}: ${what} is not JSON`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Maps a db-client error to the port's errors: a revision conflict becomes
 * WrongExpectedRevisionError (with the actual revision, so the caller can reload), and every
 * "server not reachable / not leader / too slow" error becomes EventStoreUnavailableError (the
 * operation may be retried). Anything else is returned unchanged: it is a bug, not weather.
 */
export function translateError(
  raw: unknown,
  context: { streamId?: string; expected?: ExpectedRevision } = {},
): unknown {
  // Some client paths (the server-features probe before an append) reject with the raw gRPC
  // error; db-client's own converter gives it the class the rest of the client would.
  const error = raw instanceof Error ? convertToCommandError(raw) : raw;
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      context.streamId ?? error.streamName,
      context.expected ?? fromEsdbExpected(error.expectedVersion),
      fromEsdbCurrentRevision(error.actualVersion),
    );
  }
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    isDiscoveryFailure(error)
  ) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${describe(error)}`, error);
  }
  return error;
}

/**
 * With `throwOnAppendFailure=false` in the connection string the client reports a conflict as
 * `success: false` (current revision, or -1 for no stream) instead of throwing; same meaning.
 */
export function failedAppendError(
  streamId: string,
  expected: ExpectedRevision,
  nextExpectedRevision: bigint,
): WrongExpectedRevisionError {
  const actual =
    nextExpectedRevision < 0n ? NO_STREAM_REVISION : fromEsdbRevision(nextExpectedRevision);
  return new WrongExpectedRevisionError(streamId, expected, actual);
}

function fromEsdbExpected(expected: AppendExpectedRevision): ExpectedRevision {
  if (expected === NO_STREAM) return NO_STREAM_REVISION;
  if (expected === ANY) return 'any';
  if (typeof expected === 'bigint') return fromEsdbRevision(expected);
  return 'any'; // STREAM_EXISTS: the port never sends it.
}

/** Cluster discovery (esdb+discover://, several hosts) gives up with a plain Error. */
function isDiscoveryFailure(error: unknown): boolean {
  return error instanceof Error && /^Failed to discover after \d+ attempts/.test(error.message);
}

function describe(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}
