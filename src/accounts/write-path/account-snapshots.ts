import type { Pool } from 'pg';
import { LEDGER_STATE_VERSION, type LedgerState } from '../../ledger/state';

/** A cold load that folded at least this many events writes a snapshot for the next one. */
export const SNAPSHOT_AFTER_EVENTS = 5_000;

/**
 * Snapshots of folded account states in PostgreSQL (whichever event store holds the streams).
 * A cache: a missing, unreadable or older-version snapshot just means folding from the stream.
 */
export class AccountSnapshots {
  constructor(private readonly pool: Pool) {}

  async load(streamId: string): Promise<LedgerState | null> {
    const { rows } = await this.pool.query<{ state: string }>(
      'SELECT state FROM account_snapshots WHERE stream_id = $1 AND state_version = $2',
      [streamId, LEDGER_STATE_VERSION],
    );
    return rows.length === 0 ? null : (JSON.parse(rows[0].state) as LedgerState);
  }

  /** Keeps the newest snapshot: an older revision never overwrites a newer one. */
  async save(streamId: string, state: LedgerState): Promise<void> {
    await this.pool.query(
      `INSERT INTO account_snapshots (stream_id, revision, state_version, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, state_version = EXCLUDED.state_version,
         state = EXCLUDED.state, taken_at = now()
       WHERE account_snapshots.revision < EXCLUDED.revision OR account_snapshots.state_version <> EXCLUDED.state_version`,
      [streamId, state.revision, LEDGER_STATE_VERSION, JSON.stringify(state)],
    );
  }
}
