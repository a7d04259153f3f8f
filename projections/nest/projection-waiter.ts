import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DATABASE, type Database } from '../../src/database/database';
import {
  EVENT_STORE,
  type EventStore,
  type GlobalPosition,
} from '../../src/event-store/event-store.port';
import { readCheckpointPosition } from '../runtime/checkpoints';

export interface WaitOutcome {
  reached: boolean;
  /** The projection's checkpoint when the wait ended (null: nothing projected yet). */
  checkpoint: GlobalPosition | null;
}

interface Waiter {
  projection: string;
  position: GlobalPosition;
  /** The last checkpoint seen for it (reported on timeout). */
  seen: GlobalPosition | null;
  finish: (outcome: WaitOutcome) => void;
}

/** While someone waits, the stored checkpoints are re-read this often (a projector in another process). */
const POLL_INTERVAL_MS = 15;

/**
 * Read-your-writes for projected reads (`?after=<position>`): resolves once the projection's stored
 * checkpoint has passed the position, or after the timeout. Works whichever process projects: it
 * polls the checkpoint table while anyone waits, and a projector in this process also reports each
 * commit at once (and is woken up so it polls the log now rather than at its next idle tick).
 */
@Injectable()
export class ProjectionWaiter implements OnModuleDestroy {
  private readonly waiters = new Set<Waiter>();
  private polling = false;
  private closed = false;
  private wakeLocal: (projection: string) => void = () => undefined;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** Whether `position` is a position of this event store (a malformed one is a 400). */
  isValidPosition(position: string): boolean {
    try {
      this.eventStore.comparePositions(position, position);
      return true;
    } catch {
      return false;
    }
  }

  /** The projector runtime of this process registers how to wake its projectors. */
  attachLocalProjectors(wake: (projection: string) => void): void {
    this.wakeLocal = wake;
  }

  /** A local projector committed up to `position`. */
  committed(projection: string, position: GlobalPosition): void {
    for (const waiter of this.waiters) {
      if (waiter.projection !== projection) continue;
      waiter.seen = position;
      if (this.passed(position, waiter.position))
        waiter.finish({ reached: true, checkpoint: position });
    }
  }

  async waitFor(
    projection: string,
    position: GlobalPosition,
    timeoutMs: number,
  ): Promise<WaitOutcome> {
    const current = await this.readCheckpoint(projection);
    if (this.passed(current, position)) return { reached: true, checkpoint: current };
    if (timeoutMs <= 0 || this.closed) return { reached: false, checkpoint: current };
    return new Promise<WaitOutcome>((resolve) => {
      const waiter: Waiter = {
        projection,
        position,
        seen: current,
        finish: (outcome) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(outcome);
        },
      };
      const timer = setTimeout(
        () => waiter.finish({ reached: false, checkpoint: waiter.seen }),
        timeoutMs,
      );
      this.waiters.add(waiter);
      this.wakeLocal(projection);
      this.ensurePolling();
    });
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.finish({ reached: false, checkpoint: null });
  }

  private passed(checkpoint: GlobalPosition | null, position: GlobalPosition): boolean {
    if (checkpoint === null) return false;
    try {
      return this.eventStore.comparePositions(checkpoint, position) >= 0;
    } catch {
      return false; // a checkpoint of another store (after switching EVENT_STORE): never passes
    }
  }

  private readCheckpoint(projection: string): Promise<GlobalPosition | null> {
    return readCheckpointPosition(this.database.pool, projection);
  }

  private ensurePolling(): void {
    if (this.polling) return;
    this.polling = true;
    void this.poll().finally(() => {
      this.polling = false;
      if (this.waiters.size > 0 && !this.closed) this.ensurePolling();
    });
  }

  private async poll(): Promise<void> {
    while (this.waiters.size > 0 && !this.closed) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      const projections = new Set([...this.waiters].map((waiter) => waiter.projection));
      let checkpoints: Map<string, GlobalPosition | null>;
      try {
        const { rows } = await this.database.pool.query<{
          projection: string;
          position: string | null;
        }>(
          `SELECT projection, position FROM projection_checkpoints WHERE projection = ANY($1::text[])`,
          [[...projections]],
        );
        checkpoints = new Map(rows.map((row) => [row.projection, row.position]));
      } catch {
        continue; // the database hiccuped: the waiters' own timeouts bound the wait
      }
      for (const waiter of [...this.waiters]) {
        const checkpoint = checkpoints.get(waiter.projection) ?? null;
        waiter.seen = checkpoint;
        if (this.passed(checkpoint, waiter.position)) waiter.finish({ reached: true, checkpoint });
      }
    }
  }
}
