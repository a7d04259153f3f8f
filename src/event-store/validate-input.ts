import {
  DuplicateEventIdError,
  MAX_STREAM_TAILS_PER_READ,
  NO_STREAM_REVISION,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamQuery,
  type StreamTailRequest,
} from './event-store.port';
import { isStorableText } from '../shared/storable-text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rejects malformed appends before any I/O, so a bad call never reaches the database. */
export function validateAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): void {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new TypeError('streamId must be a non-empty string');
  assertStorable('streamId', streamId);
  if (expected !== 'any' && expected !== NO_STREAM_REVISION && !isRevision(expected)) {
    const got = String(expected);
    throw new RangeError(
      `expectedRevision must be 'any', ${NO_STREAM_REVISION} (no stream) or a revision >= 0, got ${got}`,
    );
  }
  const seen = new Set<string>();
  for (const event of events) {
    // The events table keys on a uuid column (and EventStoreDB requires UUIDs too).
    if (!UUID.test(event.eventId))
      throw new TypeError(`eventId must be a UUID, got ${JSON.stringify(event.eventId)}`);
    const id = event.eventId.toLowerCase();
    if (seen.has(id)) throw new DuplicateEventIdError(streamId, [id]);
    seen.add(id);
  }
}

/** A claim is a non-empty string, made by an append of events with a known expectation. */
export function validateClaim(
  claim: string | undefined,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): void {
  if (claim === undefined) return;
  if (typeof claim !== 'string' || claim.length === 0)
    throw new TypeError('claim must be a non-empty string');
  // A claim records which append it belongs to (EventStoreDB): that needs a definite expectation.
  if (expected === 'any')
    throw new RangeError(
      `an append with a claim needs a revision or ${NO_STREAM_REVISION} (no stream), not 'any'`,
    );
  if (events.length === 0)
    throw new RangeError('an append with a claim must append at least one event');
}

export function validateReadStream(options: ReadStreamOptions): {
  fromRevision: number;
  maxCount: number | null;
} {
  const fromRevision = options.fromRevision ?? 0;
  const maxCount = options.maxCount ?? null;
  if (!isRevision(fromRevision))
    throw new RangeError(`fromRevision must be a revision >= 0, got ${fromRevision}`);
  if (maxCount !== null && !isRevision(maxCount))
    throw new RangeError(`maxCount must be an integer >= 0, got ${maxCount}`);
  return { fromRevision, maxCount };
}

/** A field name and a string to match, and a revision to stop at. */
export function validateStreamQuery(query: StreamQuery): void {
  if (typeof query.dataField !== 'string' || query.dataField.length === 0)
    throw new TypeError('dataField must be a non-empty string');
  if (typeof query.equals !== 'string') throw new TypeError('equals must be a string');
  assertStorable('dataField', query.dataField);
  assertStorable('equals', query.equals);
  if (!isRevision(query.throughRevision))
    throw new RangeError(`throughRevision must be a revision >= 0, got ${query.throughRevision}`);
  if (
    query.firstMatchType !== undefined &&
    (typeof query.firstMatchType !== 'string' || query.firstMatchType.length === 0)
  ) {
    throw new TypeError('firstMatchType must be a non-empty string when given');
  }
}

/** A page size of at least one (zero could never make progress), capped at `cap`. */
export function validateReadAll(options: ReadAllOptions, cap: number): number {
  if (!Number.isSafeInteger(options.maxCount) || options.maxCount < 1) {
    throw new RangeError(`maxCount must be an integer >= 1, got ${options.maxCount}`);
  }
  return Math.min(options.maxCount, cap);
}

/**
 * Strings that become SQL text parameters (src/shared/storable-text.ts): PostgreSQL refuses a NUL,
 * and an unpaired surrogate would be sent as U+FFFD, naming another stream or value without a word.
 * Event data is not scanned here: that would cost every append, and the group committer already
 * fails only the append PostgreSQL refuses.
 */
function assertStorable(name: string, value: string): void {
  if (!isStorableText(value))
    throw new TypeError(`${name} must not contain NUL or unpaired surrogate characters`);
}

/** Not a type guard: callers hold a number by type, and it is the value at run time that is checked. */
function isRevision(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Requests of one tails read: bounded, each stream once, revisions and a positive count. */
export function validateStreamTails(
  requests: readonly StreamTailRequest[],
  maxCountPerStream: number,
): void {
  if (requests.length > MAX_STREAM_TAILS_PER_READ)
    throw new RangeError(
      `at most ${MAX_STREAM_TAILS_PER_READ} streams per tails read, got ${requests.length}`,
    );
  if (!isRevision(maxCountPerStream) || maxCountPerStream === 0)
    throw new RangeError(`maxCountPerStream must be an integer >= 1, got ${maxCountPerStream}`);
  const seen = new Set<string>();
  for (const { streamId, fromRevision } of requests) {
    if (typeof streamId !== 'string' || streamId.length === 0)
      throw new RangeError('a tails read names a stream by a non-empty id');
    if (seen.has(streamId)) throw new RangeError(`stream ${streamId} named twice in a tails read`);
    seen.add(streamId);
    if (!isRevision(fromRevision))
      throw new RangeError(`fromRevision must be a revision >= 0, got ${fromRevision}`);
  }
}
