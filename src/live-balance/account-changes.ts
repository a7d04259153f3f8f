import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { readCheckpointPosition } from '../../projections/runtime/checkpoints';
import { createProjectorSource } from '../../projections/runtime/create-source';
import type { ProjectorSource } from '../../projections/runtime/projector-source';
import { WakeableSleep } from '../../projections/runtime/wake-sleep';
import { accountsProjection } from '../../projections/accounts.projection';
import { AppConfig } from '../config/app-config';
import { DATABASE, type Database } from '../database/database';
import { EVENT_STORE, type EventStore, type GlobalPosition } from '../event-store/event-store.port';
import { accountIdFromStream } from '../ledger/limits';

/** Events per read of the log. */
const BATCH_SIZE = 500;
/** After a failed read: wait this long, doubling up to the ceiling. */
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

export type ChangeListener = () => void;

/** A log line's reason: the message, never a stack. */
function failureReason(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * Which accounts just changed, from the global log: one tailer per process, running only while
 * someone listens (an open balance stream). It follows the log as the projectors do — the event
 * store's ordered global read (PostgreSQL) or catch-up subscription (EventStoreDB) — but keeps its
 * position in memory only and writes nothing: it is not a projection, it needs no lock, it runs in
 * every role that serves HTTP, and a projector stopping or restarting does not concern it.
 *
 * A listener is told "this account changed" (several events of one batch: once); it then reads the
 * balance itself, strongly consistent. Nothing is polled per account: one read of the log serves
 * every open stream of the process.
 *
 * Where it starts: the position it had reached, or the accounts projection's checkpoint when that is
 * further (after a long idle spell, the log in between concerns no one listening now). A listener
 * reads the balance when it starts listening, so an event before the tailer's start is never lost
 * to it.
 */
@Injectable()
export class AccountChanges implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('LiveBalance');
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private position: GlobalPosition | null = null;
  private source: ProjectorSource | null = null;
  private loop: Promise<void> | null = null;
  private readonly pause = new WakeableSleep();
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** Calls `listener` after each change to `accountId` until the returned function is called. */
  listen(accountId: string, listener: ChangeListener): () => void {
    let ofAccount = this.listeners.get(accountId);
    if (!ofAccount) this.listeners.set(accountId, (ofAccount = new Set()));
    ofAccount.add(listener);
    this.ensureRunning();
    return () => {
      const current = this.listeners.get(accountId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(accountId);
    };
  }

  /** Accounts with at least one listener (for tests and metrics). */
  get listenedAccounts(): number {
    return this.listeners.size;
  }

  /** Whether the tailer is following the log now (it stops once nobody listens). */
  get running(): boolean {
    return this.loop !== null;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    this.stopped = true;
    this.pause.cancel();
    this.source?.wake();
    await this.loop;
  }

  private ensureRunning(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.follow()
      .catch((error: unknown) =>
        this.logger.error(`the account change feed stopped: ${failureReason(error)}`),
      )
      .finally(() => {
        this.loop = null;
        // Someone started listening while the loop was closing down.
        if (this.listeners.size > 0 && !this.stopped) this.ensureRunning();
      });
  }

  private async follow(): Promise<void> {
    this.source = createProjectorSource({
      eventStore: this.eventStore,
      pool: this.database.pool,
      log: (message) => this.logger.warn(message),
    });
    let retryMs = RETRY_MIN_MS;
    try {
      this.position = await this.startPosition();
      while (!this.stopped && this.listeners.size > 0) {
        try {
          const batch = await this.source.read(
            this.position,
            BATCH_SIZE,
            this.config.balanceStream.pollIntervalMs,
          );
          retryMs = RETRY_MIN_MS;
          if (batch.position !== null) this.position = batch.position;
          this.notify(batch.events.map((event) => event.streamId));
        } catch (error) {
          this.logger.warn(
            `reading the log failed (${failureReason(error)}); retrying in ${retryMs} ms`,
          );
          await this.pause.sleep(retryMs);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        }
      }
    } finally {
      const source = this.source;
      this.source = null;
      await source.close();
    }
  }

  /** The further of our own position and the accounts projection's checkpoint. */
  private async startPosition(): Promise<GlobalPosition | null> {
    let checkpoint: GlobalPosition | null = null;
    try {
      checkpoint = await readCheckpointPosition(this.database.pool, accountsProjection.name);
    } catch (error) {
      this.logger.warn(`no projection checkpoint to start from: ${failureReason(error)}`);
    }
    if (checkpoint === null) return this.position;
    if (this.position === null) return checkpoint;
    return this.eventStore.comparePositions(checkpoint, this.position) > 0
      ? checkpoint
      : this.position;
  }

  private notify(streamIds: string[]): void {
    const seen = new Set<string>();
    for (const streamId of streamIds) {
      const accountId = accountIdFromStream(streamId);
      if (accountId === null || seen.has(accountId)) continue;
      seen.add(accountId);
      for (const listener of [...(this.listeners.get(accountId) ?? [])]) {
        try {
          listener();
        } catch (error) {
          this.logger.error(`a balance listener failed: ${failureReason(error)}`);
        }
      }
    }
  }
}
