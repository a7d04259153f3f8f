import { DuplicateEventIdError, NO_STREAM_REVISION } from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { describeEventStoreContract } from './event-store.contract';
import { newEvent, newEvents } from './support/event-store-kit';

describeEventStoreContract(
  'in-memory',
  async () => ({
    store: new InMemoryEventStore(),
    teardown: async () => undefined,
  }),
  { appendExclusive: true },
);

describe('InMemoryEventStore', () => {
  it('numbers positions with a counter, compared as numbers', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('s', newEvents(10), { expectedRevision: NO_STREAM_REVISION });
    const read = await store.readStream('s');
    expect(read.map((event) => event.position)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(store.comparePositions('9', '10')).toBeLessThan(0);
    expect(() => store.comparePositions('9', 'x-1')).toThrow(RangeError);
    expect((await store.appendToStream('new', [], { expectedRevision: 'any' })).position).toBe('0');
  });

  it('rejects an event id recorded in another stream', async () => {
    const store = new InMemoryEventStore();
    const event = newEvent();
    await store.appendToStream('a', [event], { expectedRevision: NO_STREAM_REVISION });
    await expect(
      store.appendToStream('b', [newEvent(), event], { expectedRevision: 'any' }),
    ).rejects.toEqual(new DuplicateEventIdError('b', [event.eventId]));
    expect(await store.streamRevision('b')).toBe(NO_STREAM_REVISION);
  });

  it('stores JSON copies that callers cannot change', async () => {
    const store = new InMemoryEventStore();
    const event = newEvent('T', {
      list: [1],
      at: new Date('2024-01-01T00:00:00Z'),
      gone: undefined,
    });
    await store.appendToStream('s', [event], { expectedRevision: NO_STREAM_REVISION });
    (event.data.list as number[]).push(2);
    const [read] = await store.readStream('s');
    (read.data.list as number[]).push(3);
    expect((await store.readStream('s'))[0].data).toEqual({
      list: [1],
      at: '2024-01-01T00:00:00.000Z',
    });
  });
});
