import type { PoolClient } from 'pg';
import type { LedgerEvent } from '../src/ledger/events';
import type { Projection, ProjectedEvent } from './projection';

interface HoldRow {
  accountId: string;
  reservationId: string;
  credits: number;
  expiresAt: string;
}

/** What an event does to the open holds: opens one, closes one, or nothing. */
export function holdChange(
  event: LedgerEvent,
): { open: Omit<HoldRow, 'accountId'> } | { close: string } | null {
  switch (event.type) {
    case 'CreditsReserved':
      return {
        open: {
          reservationId: event.data.reservationId,
          credits: event.data.credits,
          expiresAt: event.data.expiresAt,
        },
      };
    case 'ReservationReleased':
      return { close: event.data.reservationId };
    case 'CreditsSpent':
      // A capture closes the hold (a remainder, if any, is released in the same append).
      return event.data.reservationId === undefined ? null : { close: event.data.reservationId };
    default:
      return null;
  }
}

/**
 * open_holds: the reservations not yet captured or released, with their deadlines, so the expiry
 * worker finds due holds on accounts nobody touches. Folds a batch in memory, then writes the net
 * change: a hold opened and closed within one batch never reaches the table.
 */
export const holdsProjection: Projection = {
  name: 'holds',
  tables: ['open_holds'],
  description: 'open_holds (open reservations by deadline, for the expiry worker)',
  affectedBy: (projected) => holdChange(projected.event) !== null,
  async apply(client, events) {
    const net = new Map<string, HoldRow | null>();
    for (const projected of events) {
      const change = holdChange(projected.event);
      if (!change) continue;
      if ('open' in change)
        net.set(holdKey(projected, change.open.reservationId), {
          accountId: projected.accountId,
          ...change.open,
        });
      else net.set(holdKey(projected, change.close), null);
    }
    const opened = [...net.values()].filter((row): row is HoldRow => row !== null);
    const closed = [...net.entries()]
      .filter(([, row]) => row === null)
      .map(([key]) => JSON.parse(key) as [string, string]);
    await insertHolds(client, opened);
    await deleteHolds(client, closed);
  },
};

function holdKey(projected: ProjectedEvent, reservationId: string): string {
  return JSON.stringify([projected.accountId, reservationId]);
}

async function insertHolds(client: PoolClient, rows: HoldRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO open_holds (account_id, reservation_id, credits, expires_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[])
     ON CONFLICT (account_id, reservation_id) DO NOTHING`,
    [
      rows.map((row) => row.accountId),
      rows.map((row) => row.reservationId),
      rows.map((row) => row.credits),
      rows.map((row) => row.expiresAt),
    ],
  );
}

async function deleteHolds(client: PoolClient, keys: Array<[string, string]>): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `DELETE FROM open_holds h USING unnest($1::text[], $2::text[]) AS k(account_id, reservation_id)
     WHERE h.account_id = k.account_id AND h.reservation_id = k.reservation_id`,
    [keys.map(([accountId]) => accountId), keys.map(([, reservationId]) => reservationId)],
  );
}
