import type { components } from '../../../src/api/schema';
import { settle, type ConsoleClient } from '../../api';

/** The reads of the Accounts page, through the typed client. */

export type Balance = components['schemas']['BalanceResponse'];
export type Block = components['schemas']['BlockResponse'];
export type HistoryRow = components['schemas']['TransactionRowResponse'];
export type HistoryPage = components['schemas']['TransactionsPageResponse'];
export type RawEvent = components['schemas']['RawEventResponse'];

/** Events read to find an account's open holds: beyond this, the audit report (Finance) has them. */
export const MAX_EVENTS_FOR_HOLDS = 10_000;
const EVENTS_PAGE = 1000;

export interface Hold {
  reservationId: string;
  credits: number;
  expiresAt: string;
  description: string | null;
  reservedAt: string;
}

export function balanceOf(client: ConsoleClient, accountId: string, at?: string): Promise<Balance> {
  return settle(
    client.api.GET('/v1/accounts/{accountId}/balance', {
      params: { path: { accountId }, query: at ? { at } : {} },
    }),
  );
}

export function historyOf(
  client: ConsoleClient,
  accountId: string,
  page: { limit: number; cursor?: string; after?: string },
): Promise<HistoryPage> {
  return settle(
    client.api.GET('/v1/accounts/{accountId}/transactions', {
      params: { path: { accountId }, query: page },
    }),
  );
}

export function eventsOf(
  client: ConsoleClient,
  accountId: string,
  fromRevision: number,
  limit: number,
): Promise<components['schemas']['EventsPageResponse']> {
  return settle(
    client.api.GET('/v1/accounts/{accountId}/events', {
      params: { path: { accountId }, query: { fromRevision, limit } },
    }),
  );
}

/** The event a write recorded (its revision is in the write's answer): who did it, and when. */
export async function recordedEvent(
  client: ConsoleClient,
  accountId: string,
  revision: number,
): Promise<RawEvent | undefined> {
  return (await eventsOf(client, accountId, revision, 1)).data[0];
}

/**
 * The account's open holds, folded from its events: reserved, neither released nor captured.
 * Bounded (MAX_EVENTS_FOR_HOLDS); a longer stream says so instead of reading on.
 */
export async function openHolds(
  client: ConsoleClient,
  accountId: string,
): Promise<{ holds: Hold[]; complete: boolean }> {
  const open = new Map<string, Hold>();
  let from: number | null = 0;
  let read = 0;
  while (from !== null && read < MAX_EVENTS_FOR_HOLDS) {
    const page = await eventsOf(client, accountId, from, EVENTS_PAGE);
    for (const event of page.data) {
      const data = event.data as { reservationId?: string; credits?: number };
      const id = data.reservationId;
      if (id === undefined) continue;
      if (event.type === 'CreditsReserved') {
        const reserved = event.data as {
          credits: number;
          expiresAt: string;
          description?: string;
        };
        open.set(id, {
          reservationId: id,
          credits: reserved.credits,
          expiresAt: reserved.expiresAt,
          description: reserved.description ?? null,
          reservedAt: String(
            (event.metadata as { occurredAt?: string }).occurredAt ?? event.recordedAt,
          ),
        });
      } else if (event.type === 'ReservationReleased' || event.type === 'CreditsSpent') {
        open.delete(id);
      }
    }
    read += page.data.length;
    from = page.nextRevision;
  }
  return { holds: [...open.values()], complete: from === null };
}

/** When the event happened (its metadata's occurredAt), else when the store committed it. */
export function occurredAt(event: RawEvent): string {
  const value = event.metadata.occurredAt;
  return typeof value === 'string' ? value : event.recordedAt;
}
