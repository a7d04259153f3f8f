import { WrongExpectedRevisionError, type EventStore, type GlobalPosition, type RecordedEvent } from './event-store.port';

export interface CopyProgress {
  copied: number;
  skipped: number;
  /** The source position the copy has reached (resume a copy from here). */
  position: GlobalPosition | null;
}

export interface CopyOptions {
  streamPrefix: string;
  /** Events read from the source per batch. */
  batchSize: number;
  /** Start after this source position (null: from the beginning). */
  after?: GlobalPosition | null;
  onProgress?: (progress: CopyProgress) => void;
}

/** The target holds something other than the source's history for a stream. */
export class CopyDivergedError extends Error {
  constructor(readonly streamId: string, readonly detail: string) {
    super(`stream ${streamId}: ${detail}`);
    this.name = 'CopyDivergedError';
  }
}

/**
 * Copies every stream from one event store to another through the port, in the source's global
 * order (so each stream in revision order), keeping event ids, data and metadata. Idempotent and
 * resumable: each run of a stream's events is appended with the revision it must follow, and what
 * the target already has is skipped, so a rerun after a crash copies only what is missing.
 */
export async function copyStreams(source: EventStore, target: EventStore, options: CopyOptions): Promise<CopyProgress> {
  const progress: CopyProgress = { copied: 0, skipped: 0, position: options.after ?? null };
  for (;;) {
    const batch = await source.readAll({ after: progress.position, maxCount: options.batchSize, streamPrefix: options.streamPrefix });
    for (const run of consecutiveRunsByStream(batch.events)) {
      const written = await appendMissing(target, run);
      progress.copied += written;
      progress.skipped += run.length - written;
    }
    if (batch.lastPosition === null || batch.lastPosition === progress.position) break;
    progress.position = batch.lastPosition;
    options.onProgress?.({ ...progress });
  }
  return progress;
}

/** Splits a page of the global log into runs of consecutive events of one stream. */
function consecutiveRunsByStream(events: RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of events) {
    const current = runs.at(-1);
    if (current && current[0].streamId === event.streamId) current.push(event);
    else runs.push([event]);
  }
  return runs;
}

/** Appends the events of `run` the target does not have yet; returns how many it wrote. */
async function appendMissing(target: EventStore, run: RecordedEvent[]): Promise<number> {
  const { streamId } = run[0];
  const first = run[0].revision;
  const last = run.at(-1)!.revision;
  try {
    await append(target, run, first);
    return run.length;
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const actual = error.actual === 'no_stream' ? -1 : error.actual;
    if (actual < first - 1) throw new CopyDivergedError(streamId, `target is at revision ${actual}, source continues at ${first}`);
    await expectSameEvents(target, run.filter((event) => event.revision <= actual));
    if (actual >= last) return 0;
    const missing = run.filter((event) => event.revision > actual);
    await append(target, missing, missing[0].revision);
    return missing.length;
  }
}

/** What the target already has must be the source's very events (same ids), not others. */
async function expectSameEvents(target: EventStore, copied: RecordedEvent[]): Promise<void> {
  const { streamId, revision: from } = copied[0];
  const held = await target.readStream(streamId, { fromRevision: from, maxCount: copied.length });
  copied.forEach((event, index) => {
    if (held[index]?.eventId.toLowerCase() !== event.eventId.toLowerCase()) {
      throw new CopyDivergedError(streamId, `revision ${event.revision} holds another event in the target`);
    }
  });
}

function append(target: EventStore, events: RecordedEvent[], firstRevision: number) {
  return target.appendToStream(
    events[0].streamId,
    events.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata })),
    { expectedRevision: firstRevision === 0 ? 'no_stream' : firstRevision - 1 },
  );
}
