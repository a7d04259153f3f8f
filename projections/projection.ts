import type { PoolClient } from 'pg';
import type { GlobalPosition } from '../src/event-store/event-store.port';
import type { LedgerEvent } from '../src/ledger/events';

/** A ledger event as a projection sees it: decoded (upcast) once, with where it sits in the log. */
export interface ProjectedEvent {
  accountId: string;
  /** The event's revision in its account stream (0-based). */
  revision: number;
  eventId: string;
  position: GlobalPosition;
  recordedAt: Date;
  event: LedgerEvent;
}

/**
 * A projection: a name, the tables it owns (truncated on rebuild), and how a batch of events
 * changes them. `apply` runs inside the projector's transaction, which also stores the
 * checkpoint; it must not commit, and must throw rather than skip an event it cannot apply.
 * The event → row logic is pure (projections/ledger/effects.ts); `apply` only loads the rows the
 * batch touches, folds the batch over them in memory and writes the result.
 */
export interface Projection {
  readonly name: string;
  readonly tables: readonly string[];
  /** One line for `ledger rebuild` help and the docs. */
  readonly description: string;
  /**
   * Whether `event` can change what this projection writes or does; leave it out when every event
   * may (the default). A batch none of whose events can is not applied: no transaction, and its
   * position is stored with the next applied batch, or once the log is idle, or after at most
   * `ProjectorTimings.unstoredMaxMs`. Under a steady stream of spends, most projections and
   * reactors have nothing to do in most batches, and the transaction alone (fence, checkpoint,
   * commit) was most of their cost. Only for a projection that keeps no per-stream revision: it
   * would see the skipped events as a gap.
   */
  readonly affectedBy?: (event: ProjectedEvent) => boolean;
  apply(client: PoolClient, events: readonly ProjectedEvent[]): Promise<void>;
}

/** A batch would break the read model (a gap or a repeat in a stream): never applied half-way. */
export class ProjectionIntegrityError extends Error {
  constructor(
    readonly projection: string,
    message: string,
  ) {
    super(`projection ${projection}: ${message}`);
    this.name = 'ProjectionIntegrityError';
  }
}
