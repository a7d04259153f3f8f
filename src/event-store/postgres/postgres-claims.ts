import type { ClientBase } from 'pg';
import { ClaimHeldElsewhereError } from '../event-store.port';

type Queryable = Pick<ClientBase, 'query'>;

/**
 * Records `claim` for `streamId` inside the caller's open transaction, after its append (the
 * append must stay the transaction's first write: postgres-append.ts). The primary key makes a
 * second holder impossible; a concurrent claimer waits on the first one's uncommitted row and
 * finds it held once that commits (or takes it if that rolls back). Rolled back with the append,
 * so a claim never outlives a failed append.
 */
export async function writeClaim(
  client: Queryable,
  streamId: string,
  claim: string,
): Promise<void> {
  const inserted = await client.query(
    `INSERT INTO stream_claims (claim, stream_id) VALUES ($1, $2) ON CONFLICT (claim) DO NOTHING`,
    [claim, streamId],
  );
  if (inserted.rowCount === 1) return;
  const { rows } = await client.query<{ stream_id: string }>(
    `SELECT stream_id FROM stream_claims WHERE claim = $1`,
    [claim],
  );
  const holder = rows[0]?.stream_id;
  if (holder === streamId) return; // already this stream's
  if (holder === undefined)
    throw new Error(`claim ${JSON.stringify(claim)} conflicted but has no holder`);
  throw new ClaimHeldElsewhereError(streamId, claim, holder);
}
