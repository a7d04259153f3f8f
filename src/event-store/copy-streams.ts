import {
  ClaimHeldElsewhereError,
  WrongExpectedRevisionError,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from './event-store.port';

export interface CopyProgress {
  copied: number;
  skipped: number;
  /** Events copied without their claim, because another stream of the target already held it. */
  unclaimed: number;
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
  /**
   * The claim (AppendOptions.claim) an event makes, e.g. a purchase's reference. Claims live beside
   * the streams (a table, or streams of their own), so a copy of the streams alone would leave the
   * target without them: each such event is appended with its claim. In the source's order, so the
   * first stream that claimed a value in the source holds it in the target.
   */
  claimOf?: (event: RecordedEvent) => string | undefined;
}

/** The target holds something other than the source's history for a stream. */
export class CopyDivergedError extends Error {
  constructor(
    readonly streamId: string,
    readonly detail: string,
  ) {
    super(`stream ${streamId}: ${detail}`);
    this.name = 'CopyDivergedError';
  }
}

/**
 * Copies every stream from one event store to another through the port, in the source's global
 * order (so each stream in revision order), keeping event ids, data and metadata. Idempotent and
 * resumable: each run of a stream's events is appended with the revision it must follow, and what
 * the target already has is skipped, so a rerun after a crash copies only what is missing. With
 * `claimOf`, events that claim a value bring their claim along.
 */
export async function copyStreams(
  source: EventStore,
  target: EventStore,
  options: CopyOptions,
): Promise<CopyProgress> {
  const progress: CopyProgress = {
    copied: 0,
    skipped: 0,
    unclaimed: 0,
    position: options.after ?? null,
  };
  const claimOf = options.claimOf ?? (() => undefined);
  for (;;) {
    const batch = await source.readAll({
      after: progress.position,
      maxCount: options.batchSize,
      streamPrefix: options.streamPrefix,
    });
    for (const run of consecutiveRunsByStream(batch.events)) {
      for (const segment of endingAtClaims(run, claimOf)) {
        const { written, unclaimed } = await appendMissing(
          target,
          segment,
          claimOf(segment.at(-1)!),
        );
        progress.copied += written;
        progress.skipped += segment.length - written;
        progress.unclaimed += unclaimed;
      }
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

/** Cuts a run after every event that makes a claim: an append makes at most one, with its last event. */
function endingAtClaims(
  run: RecordedEvent[],
  claimOf: (event: RecordedEvent) => string | undefined,
): RecordedEvent[][] {
  const segments: RecordedEvent[][] = [[]];
  for (const event of run) {
    segments.at(-1)!.push(event);
    if (claimOf(event) !== undefined) segments.push([]);
  }
  return segments.filter((segment) => segment.length > 0);
}

/**
 * Appends the events of `run` the target does not have yet, with `claim` (made by the run's last
 * event); returns how many it wrote, and 1 in `unclaimed` when another stream already held it.
 */
async function appendMissing(
  target: EventStore,
  run: RecordedEvent[],
  claim: string | undefined,
): Promise<{ written: number; unclaimed: number }> {
  const { streamId } = run[0];
  const first = run[0].revision;
  const last = run.at(-1)!.revision;
  try {
    return { written: run.length, unclaimed: await append(target, run, first, claim) };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const { actual } = error;
    if (actual < first - 1)
      throw new CopyDivergedError(
        streamId,
        `target is at revision ${actual}, source continues at ${first}`,
      );
    await expectSameEvents(
      target,
      run.filter((event) => event.revision <= actual),
    );
    if (actual >= last) return { written: 0, unclaimed: 0 };
    const missing = run.filter((event) => event.revision > actual);
    return {
      written: missing.length,
      unclaimed: await append(target, missing, missing[0].revision, claim),
    };
  }
}

/** What the target already has must be the source's very events (same ids), not others. */
async function expectSameEvents(target: EventStore, copied: RecordedEvent[]): Promise<void> {
  const { streamId, revision: from } = copied[0];
  const held = await target.readStream(streamId, { fromRevision: from, maxCount: copied.length });
  copied.forEach((event, index) => {
    if (held[index]?.eventId.toLowerCase() !== event.eventId.toLowerCase()) {
      throw new CopyDivergedError(
        streamId,
        `revision ${event.revision} holds another event in the target`,
      );
    }
  });
}

/**
 * Returns 1 when the claim was held by another stream: the history is copied all the same (the
 * source recorded it, perhaps from before claims existed), only without the claim.
 */
async function append(
  target: EventStore,
  events: RecordedEvent[],
  firstRevision: number,
  claim: string | undefined,
): Promise<number> {
  const newEvents = events.map(({ eventId, type, data, metadata }) => ({
    eventId,
    type,
    data,
    metadata,
  }));
  // NO_STREAM_REVISION for a run from the stream's first event.
  const expectedRevision = firstRevision - 1;
  try {
    await target.appendToStream(events[0].streamId, newEvents, { expectedRevision, claim });
    return 0;
  } catch (error) {
    if (!(error instanceof ClaimHeldElsewhereError)) throw error;
    await target.appendToStream(events[0].streamId, newEvents, { expectedRevision });
    return 1;
  }
}
