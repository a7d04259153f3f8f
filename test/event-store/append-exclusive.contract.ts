import {
  NO_STREAM_REVISION,
  type EventStore,
  type ExclusiveAppendRequest,
  type NewEvent,
  type RecordedEvent,
} from '../../src/event-store/event-store.port';
import { newEvent, newEvents, uniquePrefix } from './support/event-store-kit';

/**
 * The port's optional `appendExclusive` (part of describeEventStoreContract). An adapter that
 * declares it gets these tests; one that does not must not have the method, so the command
 * handler's fallback (optimistic retries only) is what runs there.
 */
export function describeExclusiveAppendContract(
  store: () => EventStore,
  implemented: boolean,
): void {
  describe('holding a stream (appendExclusive)', () => {
    if (!implemented) {
      it('is absent: callers fall back to optimistic appends', () => {
        expect(typeof store().appendExclusive).toBe('undefined');
      });
      return;
    }

    const appendExclusive = (streamId: string, request: ExclusiveAppendRequest) =>
      store().appendExclusive!(streamId, request);

    it('hands decide the events after knownRevision and appends what it returns', async () => {
      const streamId = `${uniquePrefix('exclusive')}account`;
      await store().appendToStream(streamId, newEvents(3), {
        expectedRevision: NO_STREAM_REVISION,
      });
      const decided: NewEvent[] = newEvents(2, 'Decided');
      let handed: RecordedEvent[] = [];

      const result = await appendExclusive(streamId, {
        knownRevision: 0,
        decide: (tail) => {
          handed = tail;
          return decided;
        },
      });

      const stream = await store().readStream(streamId);
      expect(handed.map((event) => event.revision)).toEqual([1, 2]);
      expect(result.tail).toEqual(stream.slice(1, 3));
      expect(result.appended?.lastRevision).toBe(4);
      expect(result.appended?.position).toBe(stream[4].position);
      expect(stream.slice(3).map((event) => event.eventId)).toEqual(
        decided.map((event) => event.eventId),
      );
    });

    it('writes nothing when decide returns no events', async () => {
      const streamId = `${uniquePrefix('exclusive-none')}account`;
      await store().appendToStream(streamId, newEvents(2), {
        expectedRevision: NO_STREAM_REVISION,
      });
      const result = await appendExclusive(streamId, { knownRevision: 1, decide: () => [] });
      expect(result).toEqual({ tail: [], appended: null });
      expect(await store().streamRevision(streamId)).toBe(1);
    });

    it('creates a stream that does not exist yet (knownRevision -1)', async () => {
      const streamId = `${uniquePrefix('exclusive-new')}account`;
      const result = await appendExclusive(streamId, {
        knownRevision: -1,
        decide: (tail) => (tail.length === 0 ? newEvents(2) : []),
      });
      expect(result.tail).toEqual([]);
      expect(result.appended?.lastRevision).toBe(1);
      expect(await store().streamRevision(streamId)).toBe(1);
    });

    it('writes nothing and passes the error on when decide throws', async () => {
      const streamId = `${uniquePrefix('exclusive-throws')}account`;
      await store().appendToStream(streamId, newEvents(1), {
        expectedRevision: NO_STREAM_REVISION,
      });
      const refusal = new Error('decided against it');
      await expect(
        appendExclusive(streamId, {
          knownRevision: 0,
          decide: () => {
            throw refusal;
          },
        }),
      ).rejects.toBe(refusal);
      expect(await store().streamRevision(streamId)).toBe(0);
    });

    it('lets concurrent holders of one stream all succeed, each deciding on every event before it', async () => {
      const streamId = `${uniquePrefix('exclusive-race')}account`;
      await store().appendToStream(streamId, newEvents(1), {
        expectedRevision: NO_STREAM_REVISION,
      });
      const tailLengths: number[] = [];
      // Every holder knows only revision 0; none may lose a race, and none may decide on a tail
      // that another holder then appends behind.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          appendExclusive(streamId, {
            knownRevision: 0,
            decide: (tail) => {
              tailLengths.push(tail.length);
              return [newEvent('Held', { after: tail.length })];
            },
          }),
        ),
      );

      const stream = await store().readStream(streamId);
      expect(stream.map((event) => event.revision)).toEqual(stream.map((_, index) => index));
      expect(stream).toHaveLength(11);
      expect([...tailLengths].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // Each holder's event landed right after the tail it decided on.
      for (const event of stream.slice(1)) expect(event.data.after).toBe(event.revision - 1);
    });
  });
}
