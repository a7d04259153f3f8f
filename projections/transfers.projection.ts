import type { PoolClient } from 'pg';
import type { Projection, ProjectedEvent } from './projection';

export type TransferStatus = 'pending' | 'completed' | 'returned';

export interface TransferRow {
  transferId: string;
  from: string;
  to: string;
  credits: number;
  purpose: string;
  reason: string | null;
  status: TransferStatus;
  declinedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * What one event says about its transfer. Every step names both accounts and the credits, so a
 * row is whole from whichever step is seen first; `pending` never overrides a later status.
 */
export function transferFacts(projected: ProjectedEvent): TransferRow | null {
  const { event, accountId } = projected;
  const at = event.metadata.occurredAt;
  const row = (
    fields: Omit<TransferRow, 'createdAt' | 'updatedAt' | 'reason' | 'declinedReason'> &
      Partial<TransferRow>,
  ): TransferRow => ({
    reason: null,
    declinedReason: null,
    createdAt: at,
    updatedAt: at,
    ...fields,
  });
  switch (event.type) {
    case 'TransferSent': {
      const { transferId, to, credits, purpose, reason } = event.data;
      return row({ transferId, from: accountId, to, credits, purpose, reason, status: 'pending' });
    }
    case 'TransferReceived': {
      const { transferId, from, credits, purpose } = event.data;
      return row({ transferId, from, to: accountId, credits, purpose, status: 'completed' });
    }
    case 'TransferDeclined': {
      const { transferId, from, credits, purpose, reason } = event.data;
      return row({
        transferId,
        from,
        to: accountId,
        credits,
        purpose,
        status: 'pending',
        declinedReason: reason,
      });
    }
    case 'TransferReturned': {
      const { transferId, to, credits, purpose, reason } = event.data;
      return row({
        transferId,
        from: accountId,
        to,
        credits,
        purpose,
        status: 'returned',
        declinedReason: reason,
      });
    }
    default:
      return null;
  }
}

/** Two facts about one transfer, the later one applied over the earlier. */
export function mergeFacts(earlier: TransferRow, later: TransferRow): TransferRow {
  return {
    ...earlier,
    reason: earlier.reason ?? later.reason,
    status: later.status === 'pending' ? earlier.status : later.status,
    declinedReason: later.declinedReason ?? earlier.declinedReason,
    updatedAt: later.updatedAt,
  };
}

/**
 * `transfers`: one row per transfer (and per merge), with its status, for GET /v1/transfers/{id}.
 * Folds a batch in memory per transfer, then upserts the net rows in one statement.
 */
export const transfersProjection: Projection = {
  name: 'transfers',
  tables: ['transfers'],
  description: 'transfers (each transfer or merge between accounts and its status)',
  affectedBy: (projected) => transferFacts(projected) !== null,
  async apply(client, events) {
    const net = new Map<string, TransferRow>();
    for (const projected of events) {
      const facts = transferFacts(projected);
      if (!facts) continue;
      const earlier = net.get(facts.transferId);
      net.set(facts.transferId, earlier ? mergeFacts(earlier, facts) : facts);
    }
    await upsertTransfers(client, [...net.values()]);
  },
};

async function upsertTransfers(client: PoolClient, rows: TransferRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO transfers AS t (transfer_id, from_account, to_account, credits, purpose, reason,
                                 status, declined_reason, created_at, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[])
     ON CONFLICT (transfer_id) DO UPDATE SET
       reason = COALESCE(t.reason, EXCLUDED.reason),
       status = CASE WHEN EXCLUDED.status = 'pending' THEN t.status ELSE EXCLUDED.status END,
       declined_reason = COALESCE(EXCLUDED.declined_reason, t.declined_reason),
       created_at = LEAST(t.created_at, EXCLUDED.created_at),
       updated_at = GREATEST(t.updated_at, EXCLUDED.updated_at)`,
    [
      rows.map((row) => row.transferId),
      rows.map((row) => row.from),
      rows.map((row) => row.to),
      rows.map((row) => row.credits),
      rows.map((row) => row.purpose),
      rows.map((row) => row.reason),
      rows.map((row) => row.status),
      rows.map((row) => row.declinedReason),
      rows.map((row) => row.createdAt),
      rows.map((row) => row.updatedAt),
    ],
  );
}

/** The row GET /v1/transfers/{transferId} answers, or null. */
export async function readTransfer(
  client: Pick<PoolClient, 'query'>,
  transferId: string,
): Promise<TransferRow | null> {
  const { rows } = await client.query<{
    transfer_id: string;
    from_account: string;
    to_account: string;
    credits: string;
    purpose: string;
    reason: string | null;
    status: TransferStatus;
    declined_reason: string | null;
    created_at: Date;
    updated_at: Date;
  }>(`SELECT * FROM transfers WHERE transfer_id = $1`, [transferId]);
  const [found] = rows;
  if (!found) return null;
  return {
    transferId: found.transfer_id,
    from: found.from_account,
    to: found.to_account,
    credits: Number(found.credits),
    purpose: found.purpose,
    reason: found.reason,
    status: found.status,
    declinedReason: found.declined_reason,
    createdAt: found.created_at.toISOString(),
    updatedAt: found.updated_at.toISOString(),
  };
}
