import type { Pool } from 'pg';
import type { EventStore, GlobalPosition } from '../../src/event-store/event-store.port';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import type { Projection } from '../projection';
import { readCheckpoints, resetProjection } from '../runtime/checkpoints';
import { createProjectorSource, type SourceContext } from '../runtime/create-source';
import { Projector, type ProjectorLog } from '../runtime/projector';
import type { ProjectorSource } from '../runtime/projector-source';
import { SharedLogReader } from '../runtime/shared-source';
import { WakeableSleep } from '../runtime/wake-sleep';
import { ProgressLine } from './progress-line';

/**
 * `ledger rebuild`'s batch (events per transaction of each projection; the live projector uses
 * 500). A replay has a backlog, so bigger batches only spread each projection's fixed cost per
 * batch (BEGIN, checkpoint fence and update, COMMIT, its loads, one statement per table) over more
 * events: 2,000 → 5,000 cut PostgreSQL's CPU per event by ≈ 18 %, 5,000 → 10,000 by ≈ 10 % more
 * (docs/performance.md). 10,000 is readAll's most per page. Memory: the shared read holds at most
 * its 4 batches ahead plus the one being applied, ≈ 140 MB more peak RSS than at 5,000.
 */
export const DEFAULT_REBUILD_BATCH_SIZE = 10_000;

export interface RebuildOptions {
  projection: Projection;
  /** The read-model database. */
  pool: Pool;
  connectionString: string;
  eventStore: EventStore;
  batchSize: number;
  out: NodeJS.WritableStream;
  interactive: boolean;
  log?: ProjectorLog;
  /** Watching another process's projector: give up after this long without progress. Default 60 s. */
  stallTimeoutMs?: number;
}

export interface RebuildResult {
  events: number;
  seconds: number;
  /** 'replayed': this process applied the events; 'watched': the active projector elsewhere did. */
  mode: 'replayed' | 'watched';
}

export class RebuildStalledError extends Error {
  constructor(projection: string, seconds: number) {
    super(
      `projection ${projection}: the active projector made no progress for ${seconds} s; is it failing? (see its logs)`,
    );
    this.name = 'RebuildStalledError';
  }
}

/**
 * Truncate and replay (ARCHITECTURE.md "Projections"). Resets the projection (tables emptied and
 * checkpoint at the start, in one transaction), then replays the whole log with a progress line:
 * itself when no projector holds the projection's lock, else by following the active projector,
 * which notices the reset at its next batch and replays from the start.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  return replay(options, createProjectorSource(sourceContext(options)));
}

/**
 * Rebuilds several projections side by side (`ledger rebuild` with no projection named): each is
 * reset and replayed as rebuildProjection does, with its own checkpoint, lock and transactions,
 * but the log is read and decoded once for all of them (SharedLogReader), not once per projection.
 * Takes as long as the slowest projection.
 */
export async function rebuildProjections(
  projections: readonly Projection[],
  options: Omit<RebuildOptions, 'projection'>,
): Promise<RebuildResult[]> {
  if (projections.length === 1)
    return [await rebuildProjection({ ...options, projection: projections[0] })];
  const context = sourceContext(options);
  const reader = new SharedLogReader(createProjectorSource(context), () =>
    createProjectorSource(context),
  );
  const sources = projections.map(() => reader.consumer());
  // Settled, not all: the reader is closed only once no replay still reads through it.
  const settled = await Promise.allSettled(
    projections.map((projection, index) => replay({ ...options, projection }, sources[index])),
  );
  await reader.close();
  const failed = settled.find(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<RebuildResult>).value);
}

function sourceContext(
  options: Pick<RebuildOptions, 'eventStore' | 'pool' | 'log'>,
): SourceContext {
  return {
    eventStore: options.eventStore,
    pool: options.pool,
    log: options.log?.warn.bind(options.log),
  };
}

async function replay(options: RebuildOptions, source: ProjectorSource): Promise<RebuildResult> {
  const { projection, pool } = options;
  const total = source.estimateTotal ? await source.estimateTotal().catch(() => null) : null;
  const progress = new ProgressLine(
    options.out,
    options.interactive,
    `rebuild ${projection.name}`,
    total,
  );
  let done = 0;
  const projector = new Projector({
    projection,
    source,
    connectionString: options.connectionString,
    applicationName: `credits-ledger-rebuild-${projection.name}`,
    timings: { batchSize: options.batchSize },
    log: options.log,
    observer: {
      committed: (_name, info) => {
        done += info.events;
        progress.update(done);
      },
    },
  });
  const countAll = async () =>
    source.estimateTotal ? source.estimateTotal().catch(() => null) : null;
  const pause = new WakeableSleep();
  try {
    await resetProjection(pool, projection.name, projection.tables);
    for (let round = 0; ; round++) {
      if ((await projector.runToEnd()) === 'locked') break;
      // The global log hands out an event only once every older transaction has ended. When
      // events are stored that it does not hand out yet (a transaction still open elsewhere),
      // the replay is not over: wait for them.
      const stored = await countAll();
      if (stored === null || done >= stored) {
        return { events: done, seconds: progress.finish(done, 'replayed'), mode: 'replayed' };
      }
      if (round === 0)
        options.out.write(
          `rebuild ${projection.name}: ${stored - done} events wait for transactions still in progress\n`,
        );
      await pause.sleep(100);
    }
    // Not reading any more: a shared reader must not keep the other projections waiting for this one.
    await source.close();
    options.out.write(
      `rebuild ${projection.name}: another projector is active; following its replay\n`,
    );
    done = await followActiveProjector(options, progress, countAll);
    return {
      events: done,
      seconds: progress.finish(done, 'replayed by the active projector'),
      mode: 'watched',
    };
  } finally {
    await projector.stop();
  }
}

/** Until the projection's checkpoint has nothing after it in the log (and has applied all there is). Returns the events applied. */
async function followActiveProjector(
  options: RebuildOptions,
  progress: ProgressLine,
  countAll: () => Promise<number | null>,
): Promise<number> {
  const stallMs = options.stallTimeoutMs ?? 60_000;
  const pause = new WakeableSleep();
  let lastApplied = -1;
  let lastProgressAt = Date.now();
  for (;;) {
    const checkpoint = (await readCheckpoints(options.pool)).get(options.projection.name);
    const applied = checkpoint?.eventsApplied ?? 0;
    progress.update(applied);
    if (applied !== lastApplied) {
      lastApplied = applied;
      lastProgressAt = Date.now();
    }
    // Caught up: nothing of the ledger's streams after the checkpoint.
    if (!(await hasEventsAfter(options.eventStore, checkpoint?.position ?? null))) {
      const stored = await countAll();
      if (stored === null || applied >= stored) return applied;
    }
    if (Date.now() - lastProgressAt > stallMs)
      throw new RebuildStalledError(options.projection.name, Math.round(stallMs / 1000));
    await pause.sleep(250);
  }
}

/** Whether the log holds a ledger event after `position` (skipping past other streams' records). */
export async function hasEventsAfter(
  eventStore: EventStore,
  position: GlobalPosition | null,
): Promise<boolean> {
  let after = position;
  for (;;) {
    const read = await eventStore.readAll({ after, maxCount: 1, streamPrefix: STREAM_PREFIX });
    if (read.events.length > 0) return true;
    if (read.lastPosition === null) return false;
    after = read.lastPosition;
  }
}
