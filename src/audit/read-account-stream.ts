import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { streamIdFor } from '../ledger/limits';

/** Reads an account's stream page by page, so a long stream is never one huge read. */
export async function* readAccountStream(
  eventStore: EventStore,
  accountId: string,
  pageSize = 1_000,
): AsyncGenerator<RecordedEvent> {
  let fromRevision = 0;
  for (;;) {
    const page = await eventStore.readStream(streamIdFor(accountId), {
      fromRevision,
      maxCount: pageSize,
    });
    yield* page;
    if (page.length < pageSize) return;
    fromRevision = page[page.length - 1].revision + 1;
  }
}
