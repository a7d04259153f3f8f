import type { Pool, PoolClient } from 'pg';
import { createPool } from '../../src/database/pool';
import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import { accountIdFromStream } from '../../src/ledger/limits';
import { toLedgerEvent } from '../../src/ledger/upcast';
import type { Projection, ProjectedEvent } from '../projection';
import {
  ensureCheckpoint,
  lockCheckpoint,
  readCheckpointPosition,
  storeCheckpoint,
} from './checkpoints';
import type { ProjectorSource, SourceBatch } from './projector-source';
import { WakeableSleep } from './wake-sleep';

export interface ProjectorLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** What a projector reports (metrics, the `?after=` waiters, rebuild progress). */
export interface ProjectorObserver {
  /**
   * A batch (possibly of zero events: only the checkpoint moved) committed. `events`: the ledger
   * events the checkpoint moved over, those passed before it (Projection.affectedBy) included.
   */
  committed?(
    projection: string,
    info: {
      position: GlobalPosition;
      events: number;
      seconds: number;
      lastRecordedAt: Date | null;
    },
  ): void;
  /**
   * The projection is up to date at `position`, but it is not stored yet: the batch had nothing
   * for it (Projection.affectedBy). In-process waiters may go on; the checkpoint row follows.
   */
  passed?(projection: string, position: GlobalPosition): void;
  activeChanged?(projection: string, active: boolean): void;
  failed?(projection: string, error: unknown): void;
}

export interface ProjectorTimings {
  /** Events per batch (one transaction). */
  batchSize: number;
  /** Longest wait between polls when the log is idle. */
  idleMaxMs: number;
  /** First wait after an empty poll; doubles up to idleMaxMs. */
  idleMinMs: number;
  /** How often a standby tries to take the lock (and an idle active one re-reads its stored checkpoint). */
  standbyRetryMs: number;
  /** Backoff after a failed batch: doubles from initial to max. */
  errorBackoffInitialMs: number;
  errorBackoffMaxMs: number;
  /** Longest time a position passed without a write (Projection.affectedBy) stays unstored. */
  unstoredMaxMs: number;
}

export const DEFAULT_TIMINGS: ProjectorTimings = {
  batchSize: 500,
  idleMaxMs: 100,
  idleMinMs: 5,
  standbyRetryMs: 1000,
  errorBackoffInitialMs: 100,
  errorBackoffMaxMs: 5000,
  unstoredMaxMs: 250,
};

export interface ProjectorOptions {
  projection: Projection;
  source: ProjectorSource;
  /** The read-model database. The projector opens one dedicated connection: the lock's session. */
  connectionString: string;
  applicationName?: string;
  timings?: Partial<ProjectorTimings>;
  log?: ProjectorLog;
  observer?: ProjectorObserver;
  /** Tests only: runs inside each batch transaction, after the changes and before COMMIT. */
  beforeCommit?: (batch: {
    projection: string;
    events: readonly ProjectedEvent[];
    client: PoolClient;
  }) => Promise<void>;
}

/** The advisory-lock key of a projection: one bigint derived from its name (in SQL). */
export function lockKeyOf(projection: string): string {
  return `credits-ledger:projection:${projection}`;
}

const SILENT: ProjectorLog = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Runs one projection: reads the global log from its checkpoint, applies a batch and stores the
 * checkpoint in the same transaction (exactly-once effect).
 *
 * Only one projector per projection is active: it holds a session-level PostgreSQL advisory lock
 * on a dedicated connection, and applies every batch on that same connection, so a batch can only
 * commit while the lock is held. Others wait as standbys, trying the lock every standbyRetryMs;
 * when the active one dies its connection ends, the server releases the lock and a standby takes
 * over from the stored checkpoint. As a second fence, each batch locks the checkpoint row and
 * applies only if the stored position is still the one the batch was read from.
 */
export class Projector {
  private readonly timings: ProjectorTimings;
  private readonly log: ProjectorLog;
  private readonly pool: Pool;
  private readonly pause = new WakeableSleep();
  private running: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private stopped = false;
  private active = false;
  private position: GlobalPosition | null = null;
  private session: PoolClient | null = null;
  private sessionBroken: Error | null = null;
  /** A checked-out client has no 'error' listener of its own: a lost connection must not crash the process. */
  private readonly onSessionError = (error: Error): void => {
    this.sessionBroken = error;
  };
  batchesApplied = 0;
  eventsApplied = 0;

  constructor(private readonly options: ProjectorOptions) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.log = options.log ?? SILENT;
    this.pool = createPool({
      connectionString: options.connectionString,
      max: 1,
      applicationName:
        options.applicationName ?? `credits-ledger-projector-${options.projection.name}`,
    });
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Whether this projector holds the lock and applies batches. */
  get isActive(): boolean {
    return this.active;
  }

  /** The checkpoint as this projector last stored or loaded it (null: start, or not active yet). */
  get checkpoint(): GlobalPosition | null {
    return this.position;
  }

  /** The backend pid of the lock's session (tests terminate it). */
  async sessionPid(): Promise<number | null> {
    if (!this.session) return null;
    const { rows } = await this.session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid ?? null;
  }

  /** Runs in the background until stop(): standby until it holds the lock, then projects. */
  start(): void {
    if (this.running) throw new Error(`projector ${this.name} already started`);
    this.running = this.runForever();
  }

  /** Ends the wait in progress: someone needs a fresh position (a `?after=` read). */
  wake(): void {
    this.options.source.wake();
  }

  /** Finishes the batch in flight (if any), releases the lock and closes the connection. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      this.pause.cancel();
      this.options.source.wake();
      await this.running?.catch(() => undefined);
      await this.options.source.close();
      await this.pool.end();
    })();
    return this.stopping;
  }

  /**
   * For `ledger rebuild`: takes the lock if it is free (else answers 'locked' at once: another
   * projector is active and will do the work), applies batches until the log has nothing more,
   * then releases the lock. Does not close the projector.
   */
  async runToEnd(): Promise<'done' | 'locked'> {
    const session = await this.tryLock();
    if (!session) return 'locked';
    try {
      await this.project(session, { untilCaughtUp: true });
      return 'done';
    } finally {
      await this.unlock(session);
    }
  }

  private async runForever(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let delay = 0;
      let session: PoolClient | null = null;
      try {
        session = await this.waitForLock();
        if (!session) break;
        this.log.log(`projection ${this.name}: active (holds the lock)`);
        await this.project(session, { untilCaughtUp: false, onProgress: () => (failures = 0) });
      } catch (error) {
        failures += 1;
        delay = Math.min(
          this.timings.errorBackoffMaxMs,
          this.timings.errorBackoffInitialMs * 2 ** Math.min(failures - 1, 20),
        );
        this.options.observer?.failed?.(this.name, error);
        this.log.error(
          `projection ${this.name}: batch failed (attempt ${failures}, retrying in ${delay} ms): ${describe(error)}`,
          error,
        );
      } finally {
        if (session) await this.unlock(session);
      }
      if (delay > 0) await this.pause.sleep(delay);
    }
  }

  /** Tries the lock until it is ours (the session) or the projector stops (null). */
  private async waitForLock(): Promise<PoolClient | null> {
    let announced = false;
    while (!this.stopped) {
      const session = await this.tryLock();
      if (session) return session;
      if (!announced)
        this.log.log(`projection ${this.name}: standby (another projector holds the lock)`);
      announced = true;
      await this.pause.sleep(this.timings.standbyRetryMs);
    }
    return null;
  }

  private async tryLock(): Promise<PoolClient | null> {
    const client = await this.pool.connect();
    this.sessionBroken = null;
    client.on('error', this.onSessionError);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
        [lockKeyOf(this.name)],
      );
      if (rows[0]?.locked) {
        this.session = client;
        this.setActive(true);
        return client;
      }
    } catch (error) {
      client.removeListener('error', this.onSessionError);
      client.release(error as Error);
      throw error;
    }
    client.removeListener('error', this.onSessionError);
    client.release(this.sessionBroken ?? undefined);
    return null;
  }

  private async unlock(session: PoolClient): Promise<void> {
    this.setActive(false);
    this.session = null;
    let broken = this.sessionBroken;
    if (!broken) {
      await session
        .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [lockKeyOf(this.name)])
        .catch((error: Error) => (broken = error));
    }
    session.removeListener('error', this.onSessionError);
    // A broken connection is destroyed: the server ends the session and releases the lock with it.
    session.release(broken ?? undefined);
  }

  private setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    this.options.observer?.activeChanged?.(this.name, active);
  }

  private async project(
    session: PoolClient,
    mode: { untilCaughtUp: boolean; onProgress?: () => void },
  ): Promise<void> {
    const { batchSize, idleMinMs, idleMaxMs, unstoredMaxMs } = this.timings;
    // `checkpoint` is what the checkpoint row holds; `readFrom` may be ahead of it by batches
    // that had nothing for this projection (passed, not stored).
    let checkpoint = (await ensureCheckpoint(session, this.name)).position;
    this.position = checkpoint;
    let readFrom = checkpoint;
    // The ledger events passed over since the stored checkpoint: counted when it is stored.
    let passed: Passed = { events: 0, lastRecordedAt: null };
    let storedAt = Date.now();
    let waitMs = 0;
    let checkedAt = Date.now();
    const continueFrom = (stored: GlobalPosition | null) => {
      checkpoint = stored;
      readFrom = stored;
      this.position = stored;
      passed = { events: 0, lastRecordedAt: null };
    };
    const movedUnderUs = (stored: GlobalPosition | null) =>
      this.log.warn(
        `projection ${this.name}: checkpoint moved to ${stored ?? 'the start'} under this projector (rebuild?); continuing from there`,
      );
    const store = async (batch: SourceBatch, events: readonly ProjectedEvent[]) => {
      const stored = await this.applyBatch(session, checkpoint, batch, events, passed);
      if (stored !== batch.position) movedUnderUs(stored);
      continueFrom(stored);
      storedAt = Date.now();
      mode.onProgress?.();
    };
    while (!this.stopped) {
      const batch = await this.options.source.read(
        readFrom,
        batchSize,
        mode.untilCaughtUp ? 250 : waitMs,
      );
      if (this.stopped) return;
      if (batch.position === null) {
        // Caught up (a live projector is, between the polls of a steady stream): store what was
        // passed over once it is unstoredMaxMs old, or at the end of a replay, so an idle log
        // leaves no checkpoint behind.
        if (
          readFrom !== checkpoint &&
          (mode.untilCaughtUp || Date.now() - storedAt >= unstoredMaxMs)
        ) {
          await store({ events: [], position: readFrom }, []);
          continue;
        }
        if (mode.untilCaughtUp) return;
        waitMs = waitMs === 0 ? idleMinMs : Math.min(idleMaxMs, waitMs * 2);
        // Idle: the next batch's fence would notice a reset checkpoint (rebuild), but with no new
        // events there is no next batch, so look now and then.
        if (Date.now() - checkedAt >= this.timings.standbyRetryMs) {
          checkedAt = Date.now();
          const stored = await readCheckpointPosition(session, this.name);
          if (stored !== checkpoint) {
            movedUnderUs(stored);
            continueFrom(stored);
            waitMs = 0;
          }
        }
        continue;
      }
      waitMs = batch.events.length >= batchSize ? 0 : idleMinMs;
      // Decoded once per batch: `affects`, the passed count and `apply` all read this array.
      const events = projectedEventsOf(batch.events);
      if (!this.affects(events)) {
        readFrom = batch.position;
        passed = {
          events: passed.events + events.length,
          lastRecordedAt: batch.events.at(-1)?.recordedAt ?? passed.lastRecordedAt,
        };
        this.options.observer?.passed?.(this.name, readFrom);
        if (Date.now() - storedAt >= unstoredMaxMs)
          await store({ events: [], position: readFrom }, []);
        else mode.onProgress?.();
        continue;
      }
      // Events this projection skips may sit between the stored checkpoint and this batch: the
      // fence compares with what is stored, and the new checkpoint covers both.
      await store(batch, events);
    }
  }

  /** Whether any event of the batch can change this projection (always, without `affectedBy`). */
  private affects(events: readonly ProjectedEvent[]): boolean {
    const { affectedBy } = this.options.projection;
    if (!affectedBy) return true;
    return events.some(affectedBy);
  }

  /** One transaction: fence on the checkpoint, apply, store the new checkpoint. Returns the stored position. */
  private async applyBatch(
    session: PoolClient,
    expected: GlobalPosition | null,
    batch: SourceBatch,
    events: readonly ProjectedEvent[],
    passed: Passed,
  ): Promise<GlobalPosition | null> {
    const started = process.hrtime.bigint();
    const position = batch.position!;
    await session.query(BEGIN_BATCH);
    try {
      const current = await lockCheckpoint(session, this.name);
      if (current !== expected) {
        await session.query('ROLLBACK');
        return current;
      }
      if (events.length > 0) await this.options.projection.apply(session, events);
      const lastRecordedAt = batch.events.at(-1)?.recordedAt ?? passed.lastRecordedAt;
      // The checkpoint moves over the events passed before this batch too.
      const advanced = passed.events + events.length;
      await storeCheckpoint(session, this.name, position, advanced, lastRecordedAt);
      await this.options.beforeCommit?.({ projection: this.name, events, client: session });
      await session.query('COMMIT');
      this.batchesApplied += 1;
      this.eventsApplied += advanced;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.observer?.committed?.(this.name, {
        position,
        events: advanced,
        seconds,
        lastRecordedAt,
      });
      return position;
    } catch (error) {
      await session
        .query('ROLLBACK')
        .catch((rollbackError: Error) => (this.sessionBroken ??= rollbackError));
      throw error;
    }
  }
}

/**
 * A batch's transaction commits without waiting for its WAL flush (`synchronous_commit` off, this
 * transaction only). What it writes is derived from the durable log, and the checkpoint rides in
 * the same transaction, so a PostgreSQL crash can only take back whole batches, rows and
 * checkpoint together, and the projector reads them again: a read model never holds half a batch
 * nor skips one (a reactor's effects are idempotent for the same reason: a batch may run twice).
 * The next synchronous commit of any session (every ledger append is one) flushes the WAL before
 * it, so at most the last wal_writer_delay × 3 (600 ms by default) of projector work is exposed.
 * The ledger's own appends stay synchronous. Not waiting for the flush took a quarter to a third
 * off PostgreSQL's CPU per event in a replay at live batch sizes (30 events); under `npm start`'s
 * load, where the API's commits already flush often, the gain was within the noise
 * (docs/performance.md).
 */
const BEGIN_BATCH = 'BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL synchronous_commit TO off';

/** Ledger events read past without a transaction (Projection.affectedBy), not yet in the checkpoint. */
interface Passed {
  events: number;
  lastRecordedAt: Date | null;
}

/**
 * The readers of a SharedLogReader (`ledger rebuild`) or a LiveLogTail (the live projectors) are
 * handed the same RecordedEvent objects, in batches that differ (a live projector behind joins
 * several held batches): each event is decoded once for all of them, and the result rides on the
 * event object itself under a private symbol (a WeakMap entry per event cost ≈ 1.5–2 µs an event
 * in hashing and GC, measured over 250,000 events read by five projections; the property, ≈ 0.5).
 * Projections only read ProjectedEvents (they build new rows from them), so sharing is safe.
 * Null: not a ledger event.
 */
const DECODED = Symbol('decoded');
type DecodableEvent = RecordedEvent & { [DECODED]?: ProjectedEvent | null };

function projectedEventsOf(recorded: readonly RecordedEvent[]): ProjectedEvent[] {
  const events: ProjectedEvent[] = [];
  for (const event of recorded as readonly DecodableEvent[]) {
    let decoded = event[DECODED];
    if (decoded === undefined) {
      decoded = toProjectedEvent(event);
      // Not enumerable: copies, comparisons and logs of the event do not see it.
      Object.defineProperty(event, DECODED, { value: decoded });
    }
    if (decoded) events.push(decoded);
  }
  return events;
}

/** Decodes (and upcasts) an event; events of other streams never reach a projection (null). */
function toProjectedEvent(event: RecordedEvent): ProjectedEvent | null {
  const accountId = accountIdFromStream(event.streamId);
  if (accountId === null) return null;
  return {
    accountId,
    revision: event.revision,
    eventId: event.eventId,
    position: event.position,
    recordedAt: event.recordedAt,
    event: toLedgerEvent(event),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
