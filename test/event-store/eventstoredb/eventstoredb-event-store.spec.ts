import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type NewEvent,
} from '../../../src/event-store/event-store.port';
import {
  EventStoreDbEventStore,
  createEventStoreDbEventStore,
  normalizeConnectionString,
} from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import { fakeRead, position, resolvedEvent } from './fakes';

function newEvent(type = 'CreditsSpent'): NewEvent {
  return { eventId: randomUUID(), type, data: { credits: 1 }, metadata: { correlationId: 'c' } };
}

function storeWith(
  client: Partial<Record<keyof EventStoreDBClient, unknown>>,
  options = {},
): EventStoreDbEventStore {
  return new EventStoreDbEventStore(client as unknown as EventStoreDBClient, options);
}

describe('EventStoreDbEventStore (fake client)', () => {
  describe('appendToStream', () => {
    it('sends our event ids and the mapped expected revision, and reports revision and position', async () => {
      const appendToStream = jest.fn(async () => ({
        success: true,
        nextExpectedRevision: 3n,
        position: position(900),
      }));
      const readStream = jest.fn();
      const events = [newEvent()];
      const result = await storeWith({ appendToStream, readStream }).appendToStream(
        'credits-a',
        events,
        { expectedRevision: 2 },
      );
      expect(result).toEqual({ lastRevision: 3, position: 'esdb-900-900' });
      expect(appendToStream).toHaveBeenCalledWith(
        'credits-a',
        events.map((event) =>
          expect.objectContaining({
            id: event.eventId,
            type: event.type,
            data: event.data,
            metadata: event.metadata,
          }),
        ),
        { expectedRevision: 2n },
      );
      expect(readStream).not.toHaveBeenCalled(); // one event: the result's position is its own
    });

    it("reads the last event's own position back after a write of several events", async () => {
      // The write's position is not reliably the last event's (commit, prepare) pair.
      const appendToStream = jest.fn(async () => ({
        success: true,
        nextExpectedRevision: 4n,
        position: position(900, 880),
      }));
      const readStream = jest.fn(() => fakeRead([resolvedEvent('credits-a', 4, 900)]));
      const result = await storeWith({ appendToStream, readStream }).appendToStream(
        'credits-a',
        [newEvent(), newEvent()],
        { expectedRevision: 2 },
      );
      expect(result).toEqual({ lastRevision: 4, position: 'esdb-900-900' });
      expect(readStream).toHaveBeenCalledWith(
        'credits-a',
        expect.objectContaining({ fromRevision: 4n, maxCount: 1 }),
      );
    });

    it("maps NO_STREAM_REVISION and 'any'", async () => {
      const appendToStream = jest.fn(async () => ({
        success: true,
        nextExpectedRevision: 0n,
        position: position(1),
      }));
      const store = storeWith({ appendToStream });
      await store.appendToStream('s', [newEvent()], { expectedRevision: NO_STREAM_REVISION });
      await store.appendToStream('s', [newEvent()], { expectedRevision: 'any' });
      expect(
        appendToStream.mock.calls.map(
          (call: unknown[]) => (call[2] as { expectedRevision: unknown }).expectedRevision,
        ),
      ).toEqual([NO_STREAM, ANY]);
    });

    it('turns a conflict into WrongExpectedRevisionError with the actual revision', async () => {
      const appendToStream = jest.fn(async () => {
        throw new WrongExpectedVersionError(undefined, {
          streamName: 'credits-a',
          expected: NO_STREAM,
          current: 6n,
        });
      });
      const attempt = storeWith({ appendToStream }).appendToStream('credits-a', [newEvent()], {
        expectedRevision: NO_STREAM_REVISION,
      });
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(attempt).rejects.toMatchObject({
        streamId: 'credits-a',
        expected: NO_STREAM_REVISION,
        actual: 6,
      });
    });

    it('turns a soft failure (throwOnAppendFailure=false) into the same conflict', async () => {
      const appendToStream = jest.fn(async () => ({
        success: false,
        nextExpectedRevision: -1n,
        position: undefined,
      }));
      await expect(
        storeWith({ appendToStream }).appendToStream('s', [newEvent()], { expectedRevision: 3 }),
      ).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        expected: 3,
        actual: NO_STREAM_REVISION,
      });
    });

    it('reads the position back when an older server leaves it out', async () => {
      const appendToStream = jest.fn(async () => ({ success: true, nextExpectedRevision: 2n }));
      const readStream = jest.fn(() => fakeRead([resolvedEvent('s', 2, 77)]));
      const result = await storeWith({ appendToStream, readStream }).appendToStream(
        's',
        [newEvent()],
        { expectedRevision: 1 },
      );
      expect(result).toEqual({ lastRevision: 2, position: 'esdb-77-77' });
      expect(readStream).toHaveBeenCalledWith(
        's',
        expect.objectContaining({ fromRevision: 2n, maxCount: 1 }),
      );
    });

    it('maps an unreachable server', async () => {
      const appendToStream = jest.fn(async () => {
        throw new UnavailableError(undefined, 'connect ECONNREFUSED');
      });
      const store = storeWith({ appendToStream });
      await expect(
        store.appendToStream('s', [newEvent()], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('refuses an event id repeated within the batch, writing nothing', async () => {
      const appendToStream = jest.fn();
      const event = newEvent();
      const attempt = storeWith({ appendToStream }).appendToStream(
        's',
        [event, newEvent(), event],
        { expectedRevision: 'any' },
      );
      await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(attempt).rejects.toMatchObject({ streamId: 's', eventIds: [event.eventId] });
      expect(appendToStream).not.toHaveBeenCalled();
    });

    it('checks the expectation on an empty append and reports the tail, writing nothing', async () => {
      const appendToStream = jest.fn();
      const existing = storeWith({
        appendToStream,
        readStream: jest.fn(() => fakeRead([resolvedEvent('s', 4, 70)])),
      });
      await expect(existing.appendToStream('s', [], { expectedRevision: 4 })).resolves.toEqual({
        lastRevision: 4,
        position: 'esdb-70-70',
      });
      await expect(existing.appendToStream('s', [], { expectedRevision: 'any' })).resolves.toEqual({
        lastRevision: 4,
        position: 'esdb-70-70',
      });
      await expect(existing.appendToStream('s', [], { expectedRevision: 3 })).rejects.toMatchObject(
        { expected: 3, actual: 4 },
      );
      await expect(
        existing.appendToStream('s', [], { expectedRevision: NO_STREAM_REVISION }),
      ).rejects.toMatchObject({ actual: 4 });

      const missing = storeWith({
        appendToStream,
        readStream: jest.fn(() => fakeRead([], new StreamNotFoundError(undefined, 's'))),
      });
      const empty = await missing.appendToStream('s', [], { expectedRevision: NO_STREAM_REVISION });
      expect(empty).toEqual({ lastRevision: -1, position: 'esdb-0-0' });
      expect(missing.comparePositions(empty.position, 'esdb-1-1')).toBeLessThan(0);
      await expect(missing.appendToStream('s', [], { expectedRevision: 0 })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(missing.appendToStream('s', [], { expectedRevision: -2 })).rejects.toThrow(
        RangeError,
      );
      expect(appendToStream).not.toHaveBeenCalled();
    });
  });

  describe('readStream and streamRevision', () => {
    it('reads forwards from a revision', async () => {
      const readStream = jest.fn(() =>
        fakeRead([resolvedEvent('s', 1, 10), resolvedEvent('s', 2, 20)]),
      );
      const events = await storeWith({ readStream }).readStream('s', {
        fromRevision: 1,
        maxCount: 2,
      });
      expect(events.map((event) => [event.revision, event.position])).toEqual([
        [1, 'esdb-10-10'],
        [2, 'esdb-20-20'],
      ]);
      expect(readStream).toHaveBeenCalledWith(
        's',
        expect.objectContaining({ direction: 'forwards', fromRevision: 1n, maxCount: 2 }),
      );
    });

    it('reads a missing stream as empty, and its revision as no_stream', async () => {
      const readStream = jest.fn(() => fakeRead([], new StreamNotFoundError(undefined, 's')));
      const store = storeWith({ readStream });
      await expect(store.readStream('s')).resolves.toEqual([]);
      await expect(store.streamRevision('s')).resolves.toBe(NO_STREAM_REVISION);
    });

    it('takes the revision from the last event, read backwards', async () => {
      const readStream = jest.fn(() => fakeRead([resolvedEvent('s', 9, 99)]));
      await expect(storeWith({ readStream }).streamRevision('s')).resolves.toBe(9);
      expect(readStream).toHaveBeenCalledWith('s', {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      });
    });

    it('maps read failures', async () => {
      const readStream = jest.fn(() => fakeRead([], new UnavailableError(undefined, 'gone')));
      await expect(storeWith({ readStream }).readStream('s')).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });
  });

  describe('readAll', () => {
    const log = [
      resolvedEvent('$et-CreditsGranted', 0, 10),
      resolvedEvent('credits-a', 0, 20),
      resolvedEvent('other-x', 0, 30),
      resolvedEvent('credits-b', 0, 40),
      resolvedEvent('credits-a', 1, 50),
      resolvedEvent('other-x', 1, 60),
    ];

    function readAllFrom(records: typeof log) {
      return jest.fn((options: { fromPosition: unknown }) => {
        const from = options.fromPosition;
        // Like the server: reading from a position includes the record at it.
        const start =
          from === 'start'
            ? 0
            : records.findIndex(
                (r) => r.event!.position.commit >= (from as { commit: bigint }).commit,
              );
        return fakeRead(start < 0 ? [] : records.slice(start));
      });
    }

    it('returns only the prefix, in log order, with the position of the last record looked at', async () => {
      const readAll = readAllFrom(log);
      const result = await storeWith({ readAll }).readAll({
        after: null,
        maxCount: 10,
        streamPrefix: 'credits-',
      });
      expect(result.events.map((event) => [event.streamId, event.revision])).toEqual([
        ['credits-a', 0],
        ['credits-b', 0],
        ['credits-a', 1],
      ]);
      // Moved past the trailing filtered record, so the next read does not scan it again.
      expect(result.lastPosition).toBe('esdb-60-60');
    });

    it('treats `after` as exclusive and stops at maxCount', async () => {
      const store = storeWith({ readAll: readAllFrom(log) });
      const first = await store.readAll({ after: null, maxCount: 1, streamPrefix: 'credits-' });
      expect(first.events.map((event) => event.position)).toEqual(['esdb-20-20']);
      expect(first.lastPosition).toBe('esdb-20-20');
      const second = await store.readAll({
        after: first.lastPosition,
        maxCount: 1,
        streamPrefix: 'credits-',
      });
      expect(second.events.map((event) => event.position)).toEqual(['esdb-40-40']);
      const rest = await store.readAll({
        after: second.lastPosition,
        maxCount: 5,
        streamPrefix: 'credits-',
      });
      expect(rest.events.map((event) => event.position)).toEqual(['esdb-50-50']);
      const none = await store.readAll({
        after: rest.lastPosition,
        maxCount: 5,
        streamPrefix: 'credits-',
      });
      expect(none).toEqual({ events: [], lastPosition: null });
    });

    it('skips system streams when no prefix is given', async () => {
      const result = await storeWith({ readAll: readAllFrom(log) }).readAll({
        after: null,
        maxCount: 10,
      });
      expect(result.events.map((event) => event.streamId)).toEqual([
        'credits-a',
        'other-x',
        'credits-b',
        'credits-a',
        'other-x',
      ]);
    });

    it('returns a checkpoint alone when the scan window holds no match', async () => {
      const noise = Array.from({ length: 10 }, (_, i) => resolvedEvent('other-x', i, 100 + i));
      const store = storeWith(
        { readAll: readAllFrom([...noise, resolvedEvent('credits-z', 0, 200)]) },
        { readAllScanWindow: 4 },
      );
      const result = await store.readAll({ after: null, maxCount: 10, streamPrefix: 'credits-' });
      expect(result).toEqual({ events: [], lastPosition: 'esdb-103-103' });
    });

    it('cancels the server-side read when it stops early', async () => {
      const read = fakeRead(log);
      const store = storeWith({ readAll: jest.fn(() => read) });
      await store.readAll({ after: null, maxCount: 1, streamPrefix: 'credits-' });
      expect(read.cancel).toHaveBeenCalled();
    });

    it('refuses a page size below one', async () => {
      await expect(
        storeWith({ readAll: readAllFrom(log) }).readAll({ after: null, maxCount: 0 }),
      ).rejects.toThrow(RangeError);
    });

    it('refuses a position from another adapter', async () => {
      await expect(
        storeWith({ readAll: readAllFrom(log) }).readAll({ after: '17', maxCount: 1 }),
      ).rejects.toThrow(/not an EventStoreDB position/);
    });
  });

  it('compares positions', () => {
    const store = storeWith({});
    expect(store.comparePositions('esdb-5-5', 'esdb-10-1')).toBeLessThan(0);
    expect(store.comparePositions('esdb-10-2', 'esdb-10-1')).toBeGreaterThan(0);
  });
});

describe('createEventStoreDbEventStore', () => {
  it('accepts the KurrentDB schemes the config allows', () => {
    expect(normalizeConnectionString('kurrentdb://h:2113?tls=false')).toBe(
      'esdb://h:2113?tls=false',
    );
    expect(normalizeConnectionString('kdb+discover://a:2113,b:2113')).toBe(
      'esdb+discover://a:2113,b:2113',
    );
    expect(normalizeConnectionString('esdb://h:2113')).toBe('esdb://h:2113');
  });

  it('does not connect while starting, so an absent server cannot crash start-up', async () => {
    const store = createEventStoreDbEventStore('esdb://127.0.0.1:1?tls=false');
    await store.close();
  });

  it('fails ping fast and clearly when nothing listens', async () => {
    const store = createEventStoreDbEventStore('esdb://127.0.0.1:1?tls=false', {
      pingTimeoutMs: 2000,
    });
    const started = Date.now();
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await store.close();
    }
  });

  describe('against a server that accepts connections but never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up on ping at the deadline', async () => {
      const { port } = server.address() as AddressInfo;
      const store = createEventStoreDbEventStore(`esdb://127.0.0.1:${port}?tls=false`, {
        pingTimeoutMs: 300,
      });
      const started = Date.now();
      try {
        await expect(store.ping()).rejects.toThrow(/did not answer within 300 ms/);
        expect(Date.now() - started).toBeLessThan(1500);
      } finally {
        await store.close();
      }
    });
  });
});
