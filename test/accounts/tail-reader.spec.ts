import { TailReader } from '../../src/accounts/write-path/tail-reader';
import {
  EventStoreSaturatedError,
  NO_STREAM_REVISION,
  type StreamTailRequest,
} from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { newEvents } from '../event-store/support/event-store-kit';

/** The in-memory store, recording each grouped read it is asked for. */
class CountingStore extends InMemoryEventStore {
  readonly groups: string[][] = [];
  failNext: Error | null = null;

  override async readStreamTails(requests: readonly StreamTailRequest[], maxCount: number) {
    this.groups.push(requests.map((request) => `${request.streamId}@${request.fromRevision}`));
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    return super.readStreamTails(requests, maxCount);
  }
}

async function storeWith(streams: Record<string, number>): Promise<CountingStore> {
  const store = new CountingStore();
  for (const [streamId, count] of Object.entries(streams))
    await store.appendToStream(streamId, newEvents(count), {
      expectedRevision: NO_STREAM_REVISION,
    });
  return store;
}

const revisions = (events: { revision: number }[]) => events.map((event) => event.revision);

describe('TailReader', () => {
  it('reads alone at low load, then groups what arrives while a group is in flight', async () => {
    const store = await storeWith({ a: 3, b: 2, c: 1 });
    const reader = new TailReader(store, { maxInFlight: 1, maxEventsPerStream: 10, maxQueued: 10 });

    const tails = await Promise.all([
      reader.read('a', 1),
      reader.read('b', 0),
      reader.read('c', 1),
      reader.read('missing', 0),
    ]);

    expect(tails.map(revisions)).toEqual([[1, 2], [0, 1], [], []]);
    expect(store.groups).toEqual([['a@1'], ['b@0', 'c@1', 'missing@0']]);
  });

  it('puts a second read of one stream in a later group (the store refuses repeats)', async () => {
    const store = await storeWith({ a: 3 });
    const reader = new TailReader(store, { maxInFlight: 1, maxEventsPerStream: 10, maxQueued: 10 });

    const tails = await Promise.all([
      reader.read('a', 0),
      reader.read('a', 1),
      reader.read('a', 2),
    ]);

    expect(tails.map(revisions)).toEqual([[0, 1, 2], [1, 2], [2]]);
    expect(store.groups).toEqual([['a@0'], ['a@1'], ['a@2']]);
  });

  it('finishes a tail longer than a group returns with a read of its own', async () => {
    const store = await storeWith({ long: 7, short: 1 });
    const reader = new TailReader(store, { maxInFlight: 1, maxEventsPerStream: 3, maxQueued: 10 });

    const [long, short] = await Promise.all([reader.read('long', 1), reader.read('short', 0)]);

    expect(revisions(long)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(revisions(short)).toEqual([0]);
  });

  it('fails only the group whose read failed; later groups go on', async () => {
    const store = await storeWith({ a: 1, b: 1 });
    const reader = new TailReader(store, { maxInFlight: 1, maxEventsPerStream: 3, maxQueued: 10 });
    store.failNext = new Error('connection lost');

    const first = reader.read('a', 0);
    const second = reader.read('b', 0);

    await expect(first).rejects.toThrow('connection lost');
    expect(revisions(await second)).toEqual([0]);
  });

  it('refuses reads beyond its queue limit as a saturated store, never queueing without bound', async () => {
    const store = await storeWith({ a: 1 });
    const reader = new TailReader(store, { maxInFlight: 1, maxEventsPerStream: 3, maxQueued: 2 });

    const inFlight = reader.read('a', 0); // taken at once: the queue is empty again
    const queued = [reader.read('b', 0), reader.read('c', 0)];

    await expect(reader.read('d', 0)).rejects.toBeInstanceOf(EventStoreSaturatedError);
    await Promise.all([inFlight, ...queued]);
  });
});
