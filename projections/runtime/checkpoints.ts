import type { ClientBase, Pool } from 'pg';
import type { GlobalPosition } from '../../src/event-store/event-store.port';

type Queryable = Pick<ClientBase, 'query'>;

export interface Checkpoint {
  projection: string;
  /** Opaque event-store position of the last event (or skipped record) applied; null = start. */
  position: GlobalPosition | null;
  eventsApplied: number;
  /** recordedAt of the last event applied. */
  lastEventAt: Date | null;
  rebuiltAt: Date | null;
  updatedAt: Date;
}

interface CheckpointRecord {
  projection: string;
  position: string | null;
  events_applied: number;
  last_event_at: Date | null;
  rebuilt_at: Date | null;
  updated_at: Date;
}

function toCheckpoint(row: CheckpointRecord): Checkpoint {
  return {
    projection: row.projection,
    position: row.position,
    eventsApplied: Number(row.events_applied),
    lastEventAt: row.last_event_at,
    rebuiltAt: row.rebuilt_at,
    updatedAt: row.updated_at,
  };
}

/** The projection's checkpoint, creating the row (at the start) the first time. */
export async function ensureCheckpoint(db: Queryable, projection: string): Promise<Checkpoint> {
  await db.query(
    `INSERT INTO projection_checkpoints (projection) VALUES ($1) ON CONFLICT (projection) DO NOTHING`,
    [projection],
  );
  const { rows } = await db.query<CheckpointRecord>(
    `SELECT * FROM projection_checkpoints WHERE projection = $1`,
    [projection],
  );
  return toCheckpoint(rows[0]);
}

/** The stored position alone (a plain read: writes nothing, takes no lock). */
export async function readCheckpointPosition(
  db: Queryable,
  projection: string,
): Promise<GlobalPosition | null> {
  const { rows } = await db.query<{ position: string | null }>(
    `SELECT position FROM projection_checkpoints WHERE projection = $1`,
    [projection],
  );
  return rows[0]?.position ?? null;
}

export async function readCheckpoints(db: Queryable): Promise<Map<string, Checkpoint>> {
  const { rows } = await db.query<CheckpointRecord>(`SELECT * FROM projection_checkpoints`);
  return new Map(rows.map((row) => [row.projection, toCheckpoint(row)]));
}

/**
 * Inside a batch transaction: locks the checkpoint row (a concurrent batch or rebuild of the same
 * projection waits here) and returns the stored position. The projector compares it with the
 * position it read from; a difference means someone else moved it and the batch must not apply.
 */
export async function lockCheckpoint(
  db: Queryable,
  projection: string,
): Promise<GlobalPosition | null> {
  const { rows } = await db.query<{ position: string | null }>(
    `SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`,
    [projection],
  );
  if (rows.length === 0) throw new Error(`projection ${projection} has no checkpoint row`);
  return rows[0].position;
}

export async function storeCheckpoint(
  db: Queryable,
  projection: string,
  position: GlobalPosition,
  eventsApplied: number,
  lastEventAt: Date | null,
): Promise<void> {
  await db.query(
    `UPDATE projection_checkpoints
     SET position = $2, events_applied = events_applied + $3, last_event_at = COALESCE($4, last_event_at), updated_at = now()
     WHERE projection = $1`,
    [projection, position, eventsApplied, lastEventAt],
  );
}

/**
 * Rebuild, first step: in one transaction, waits for a batch in flight (row lock), empties the
 * projection's tables and puts its checkpoint back at the start. A projector still running
 * notices at its next batch (its position no longer matches) and replays from the start.
 */
export async function resetProjection(
  pool: Pool,
  projection: string,
  tables: readonly string[],
): Promise<void> {
  const db = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  db.on('error', onError);
  try {
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO projection_checkpoints (projection) VALUES ($1) ON CONFLICT (projection) DO NOTHING`,
      [projection],
    );
    await lockCheckpoint(db, projection);
    await db.query(`TRUNCATE ${tables.map(quoteIdentifier).join(', ')}`);
    await db.query(
      `UPDATE projection_checkpoints SET position = NULL, events_applied = 0, last_event_at = NULL, rebuilt_at = now(), updated_at = now()
       WHERE projection = $1`,
      [projection],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    db.removeListener('error', onError);
    db.release(broken);
  }
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table name: ${name}`);
  return `"${name}"`;
}
