import {
  BACKWARDS,
  END,
  StreamNotFoundError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import {
  NO_STREAM_REVISION,
  type RecordedEvent,
  type StreamQuery,
  type StreamRevision,
} from '../event-store.port';
import { toEsdbRevision, toRecordedEvent, translateError } from './eventstoredb-translation';

/**
 * Sizes of the backwards pages, in events. The first page is small because most look-ups end
 * near the end of the stream; each further page doubles, up to a bound that caps what one read
 * holds in memory (and what a look-up reads past the event it stops at).
 */
export interface FindPaging {
  firstPageEvents: number;
  maxPageEvents: number;
}

export const DEFAULT_FIND_PAGING: FindPaging = { firstPageEvents: 256, maxPageEvents: 4096 };

/** All findInStream needs of db-client (a fake in unit tests). */
export type StreamReadingClient = Pick<EventStoreDBClient, 'readStream'>;

/**
 * findInStream on EventStoreDB, which has no query by data field: reads the stream backwards
 * from `throughRevision` in pages and keeps the matches. With `firstMatchType` it stops at that
 * match, so the cost is the distance from `throughRevision` back to it (plus at most one page),
 * not the length of the stream; without it, or when nothing matches, it reads back to revision 0.
 */
export async function findInStreamBackwards(
  client: StreamReadingClient,
  streamId: string,
  query: StreamQuery,
  paging: FindPaging = DEFAULT_FIND_PAGING,
): Promise<RecordedEvent[]> {
  const last = await lastRevision(client, streamId);
  if (last === NO_STREAM_REVISION) return [];
  // The server reads a backwards page as a range of revisions: one asked from past the end may
  // come back empty rather than hold the tail, so start at the end.
  let next = Math.min(query.throughRevision, last);
  let pageEvents = paging.firstPageEvents;
  const newestFirst: RecordedEvent[] = [];
  while (next >= 0) {
    const page = await readPage(client, streamId, next, Math.min(pageEvents, next + 1));
    // Empty: the older events are gone (truncated by $tb / $maxCount / $maxAge); none to find.
    if (page.length === 0) break;
    for (const event of page) {
      if (event.data[query.dataField] !== query.equals) continue;
      newestFirst.push(event);
      if (event.type === query.firstMatchType) return newestFirst.reverse();
    }
    const oldest = page[page.length - 1].revision;
    // Guards the loop against a server answer outside the range asked for.
    if (oldest > next)
      throw new Error(
        `stream ${streamId}: a backwards read from ${next} returned revision ${oldest}`,
      );
    next = oldest - 1;
    pageEvents = Math.min(pageEvents * 2, paging.maxPageEvents);
  }
  return newestFirst.reverse();
}

async function lastRevision(
  client: StreamReadingClient,
  streamId: string,
): Promise<StreamRevision> {
  let last: StreamRevision = NO_STREAM_REVISION;
  try {
    const read = client.readStream(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    for await (const resolved of read) last = toRecordedEvent(resolved).revision;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return NO_STREAM_REVISION;
    throw translateError(error, { streamId });
  }
  return last;
}

/** One finished read of at most `maxCount` events, newest first, from `fromRevision` down. */
async function readPage(
  client: StreamReadingClient,
  streamId: string,
  fromRevision: StreamRevision,
  maxCount: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    const read = client.readStream(streamId, {
      direction: BACKWARDS,
      fromRevision: toEsdbRevision(fromRevision),
      maxCount,
    });
    for await (const resolved of read) events.push(toRecordedEvent(resolved));
  } catch (error) {
    // Deleted between the first read and this one: as if it had never existed.
    if (error instanceof StreamNotFoundError) return [];
    throw translateError(error, { streamId });
  }
  return events;
}
