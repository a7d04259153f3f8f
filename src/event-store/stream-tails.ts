import type { EventStore, RecordedEvent, StreamTailRequest } from './event-store.port';
import { validateStreamTails } from './validate-input';

/**
 * `readStreamTails` for a store with no multi-stream read (in-memory, EventStoreDB's db-client):
 * one `readStream` per request, all at once (MAX_STREAM_TAILS_PER_READ bounds them). Async, so a
 * malformed request rejects like any read rather than throwing at the caller.
 */
export async function readStreamTailsOneByOne(
  store: Pick<EventStore, 'readStream'>,
  requests: readonly StreamTailRequest[],
  maxCountPerStream: number,
): Promise<RecordedEvent[][]> {
  validateStreamTails(requests, maxCountPerStream);
  return Promise.all(
    requests.map(({ streamId, fromRevision }) =>
      store.readStream(streamId, { fromRevision, maxCount: maxCountPerStream }),
    ),
  );
}
