import { randomUUID } from 'node:crypto';
import {
  ANY,
  AccessDeniedError,
  DeadlineExceededError,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  type JSONEventData,
} from '@eventstore/db-client';
import { convertGrpcRecord } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { createUUID } from '@eventstore/db-client/dist/utils/grpcUUID';
import { StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import {
  EventStoreUnavailableError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type NewEvent,
} from '../../../src/event-store/event-store.port';
import {
  comparePositions,
  decodeMetadata,
  decodePosition,
  encodePosition,
  failedAppendError,
  fromEsdbCurrentRevision,
  fromEsdbRevision,
  toEsdbExpectedRevision,
  toEsdbRevision,
  toEventData,
  toRecordedEvent,
  translateError,
} from '../../../src/event-store/eventstoredb/eventstoredb-translation';
import { position, resolvedEvent } from './fakes';

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CreditsPurchased',
    data: { credits: 100, price: { minor: 1000, currency: 'USD' } },
    metadata: { correlationId: 'corr-1', actor: { kind: 'apiKey', id: 'svc' }, schemaVersion: 1 },
    ...overrides,
  };
}

/**
 * What the wire does to an event, with db-client's own code at both ends: the bytes append()
 * sends (JSON.stringify of data and metadata) become a RecordedEvent message as the server
 * returns it, decoded by db-client's convertGrpcRecord and then by our translation.
 */
function throughTheWire(
  data: JSONEventData,
  at: { stream: string; revision: number; commit: number; prepare: number },
) {
  const record = new ReadResp.ReadEvent.RecordedEvent();
  record.setId(createUUID(data.id));
  record.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(at.stream, 'utf8')));
  record.setStreamRevision(String(at.revision));
  record.setCommitPosition(String(at.commit));
  record.setPreparePosition(String(at.prepare));
  record.getMetadataMap().set('type', data.type);
  record.getMetadataMap().set('content-type', data.contentType);
  record
    .getMetadataMap()
    .set('created', String(BigInt(Date.parse('2026-03-01T12:00:00.000Z')) * 10_000n));
  record.setData(Buffer.from(JSON.stringify(data.data), 'utf8'));
  if (data.metadata) record.setCustomMetadata(Buffer.from(JSON.stringify(data.metadata), 'utf8'));
  const wire = ReadResp.ReadEvent.RecordedEvent.deserializeBinary(record.serializeBinary());
  return { event: convertGrpcRecord(wire) } as Parameters<typeof toRecordedEvent>[0];
}

describe('EventStoreDB translation', () => {
  describe('revisions (0-based on both sides: only the type changes)', () => {
    it('maps the expected revision', () => {
      expect(toEsdbExpectedRevision(NO_STREAM_REVISION)).toBe(NO_STREAM);
      expect(toEsdbExpectedRevision('any')).toBe(ANY);
      expect(toEsdbExpectedRevision(0)).toBe(0n);
      expect(toEsdbExpectedRevision(41)).toBe(41n);
    });

    it('refuses revisions the port cannot mean', () => {
      for (const bad of [-2, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
        expect(() => toEsdbExpectedRevision(bad)).toThrow(RangeError);
        expect(() => toEsdbRevision(bad)).toThrow(RangeError);
      }
      // -1 is an expectation (NO_STREAM_REVISION, mapped above), never a revision to read from.
      expect(() => toEsdbRevision(NO_STREAM_REVISION)).toThrow(RangeError);
    });

    it('maps revisions back, and no stream stays no stream', () => {
      expect(fromEsdbRevision(0n)).toBe(0);
      expect(fromEsdbRevision(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
      expect(() => fromEsdbRevision(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(RangeError);
      expect(fromEsdbCurrentRevision(NO_STREAM)).toBe(NO_STREAM_REVISION);
      expect(fromEsdbCurrentRevision(7n)).toBe(7);
    });
  });

  describe('positions', () => {
    it('round-trips commit and prepare, up to the full unsigned 64-bit range', () => {
      for (const p of [
        position(0),
        position(1234, 1200),
        { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 2n },
      ]) {
        const encoded = encodePosition(p);
        expect(encoded).toMatch(/^esdb-\d+-\d+$/);
        expect(decodePosition(encoded)).toEqual(p);
      }
    });

    it('orders by commit position, then prepare position', () => {
      const a = encodePosition(position(100, 90));
      const b = encodePosition(position(100, 95));
      const c = encodePosition(position(101, 10));
      expect(comparePositions(a, b)).toBeLessThan(0);
      expect(comparePositions(b, a)).toBeGreaterThan(0);
      expect(comparePositions(b, c)).toBeLessThan(0);
      expect(comparePositions(c, c)).toBe(0);
      // Compared as numbers, not strings: "9" sorts after "10" as text.
      expect(
        comparePositions(encodePosition(position(9)), encodePosition(position(10))),
      ).toBeLessThan(0);
      expect(
        comparePositions(
          encodePosition({ commit: 2n ** 63n, prepare: 0n }),
          encodePosition(position(Number.MAX_SAFE_INTEGER)),
        ),
      ).toBeGreaterThan(0);
    });

    it('refuses a position that is not ours, e.g. one from the PostgreSQL adapter', () => {
      for (const bad of [
        '',
        '42',
        '42:42',
        'esdb-1',
        'esdb--1-2',
        'esdb-1-2-3',
        'ESDB-1-2',
        'esdb-1-x',
      ]) {
        expect(() => decodePosition(bad)).toThrow(/not an EventStoreDB position/);
      }
    });
  });

  describe('events', () => {
    it('sends our event id, type, data and metadata as a JSON event', () => {
      const event = newEvent();
      expect(toEventData(event)).toEqual({
        id: event.eventId,
        contentType: 'application/json',
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      });
    });

    it('sends empty metadata too, so it reads back as an object', () => {
      expect(toEventData(newEvent({ metadata: {} })).metadata).toEqual({});
    });

    it('refuses an event id the server would not take as its id', () => {
      expect(() => toEventData(newEvent({ eventId: 'spend-1' }))).toThrow(/must be a UUID/);
      expect(() =>
        toEventData(newEvent({ data: [] as unknown as Record<string, unknown> })),
      ).toThrow(/data must be a JSON object/);
      expect(() =>
        toEventData(newEvent({ metadata: null as unknown as Record<string, unknown> })),
      ).toThrow(/metadata must be a JSON object/);
    });

    it('turns a recorded event into the port shape', () => {
      const resolved = resolvedEvent('credits-acc-1', 3, 500);
      const event = resolved.event!;
      expect(toRecordedEvent(resolved)).toEqual({
        eventId: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        streamId: 'credits-acc-1',
        revision: 3,
        position: 'esdb-500-500',
        recordedAt: event.created,
      });
    });

    it('reads an event written without metadata as {}, and binary JSON as JSON', () => {
      const resolved = resolvedEvent('credits-a', 0, 1, {
        isJson: false,
        data: Buffer.from('{"credits":5}') as unknown as Record<string, unknown>,
        metadata: undefined,
      } as never);
      const recorded = toRecordedEvent(resolved);
      expect(recorded.data).toEqual({ credits: 5 });
      expect(recorded.metadata).toEqual({});
      expect(decodeMetadata(new Uint8Array())).toEqual({});
      expect(decodeMetadata(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
      expect(() => decodeMetadata(Buffer.from('not json'))).toThrow(/metadata is not JSON/);
      expect(() => decodeMetadata('text')).toThrow(/metadata is not a JSON object/);
    });

    it('refuses events it cannot place in the log', () => {
      expect(() => toRecordedEvent({})).toThrow(/unresolved link/);
      expect(() =>
        toRecordedEvent(resolvedEvent('credits-a', 0, 1, { position: undefined })),
      ).toThrow(/without a position/);
      const unknown = { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n }; // what servers before 22.6 send
      expect(() =>
        toRecordedEvent(resolvedEvent('credits-a', 0, 1, { position: unknown })),
      ).toThrow(/22\.6 or later/);
      expect(() => toRecordedEvent(resolvedEvent('credits-a', 0, 1, { data: 'oops' }))).toThrow(
        /data is not a JSON object/,
      );
    });

    it('round-trips data and metadata through the wire format, untouched', () => {
      const event = newEvent({
        data: {
          credits: 1_000_000_000_000,
          note: 'naïve – ünïcødé ✓',
          nested: { list: [1, 'two', null], empty: {} },
        },
        metadata: {
          correlationId: 'c',
          causationId: 'd',
          idempotencyKey: 'k',
          actor: { kind: 'stripe', id: 'evt_1' },
          schemaVersion: 2,
          extra: null,
        },
      });
      const data = toEventData(event) as JSONEventData;
      const recorded = toRecordedEvent(
        throughTheWire(data, { stream: 'credits-acc', revision: 4, commit: 9000, prepare: 8999 }),
      );
      expect(recorded).toEqual({
        ...event,
        streamId: 'credits-acc',
        revision: 4,
        position: 'esdb-9000-8999',
        recordedAt: new Date('2026-03-01T12:00:00.000Z'),
      });
    });

    it('round-trips empty metadata through the wire format', () => {
      const data = toEventData(newEvent({ metadata: {} })) as JSONEventData;
      const recorded = toRecordedEvent(
        throughTheWire(data, { stream: 's', revision: 0, commit: 1, prepare: 1 }),
      );
      expect(recorded.metadata).toEqual({});
      // jsonEvent without metadata (someone else's writer) also reads back as {}.
      const bare = jsonEvent({ id: randomUUID(), type: 'X', data: { a: 1 } }) as JSONEventData;
      expect(
        toRecordedEvent(throughTheWire(bare, { stream: 's', revision: 1, commit: 2, prepare: 2 }))
          .metadata,
      ).toEqual({});
    });
  });

  describe('errors', () => {
    it('maps a revision conflict to the port conflict with the actual revision', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'credits-a',
        expected: 3n,
        current: 5n,
      });
      const mapped = translateError(error, { streamId: 'credits-a', expected: 3 });
      expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
      expect(mapped).toMatchObject({ streamId: 'credits-a', expected: 3, actual: 5 });
    });

    it('maps "stream should not exist" and "stream does not exist" conflicts', () => {
      const exists = translateError(
        new WrongExpectedVersionError(undefined, {
          streamName: 's',
          expected: NO_STREAM,
          current: 0n,
        }),
        {
          streamId: 's',
          expected: NO_STREAM_REVISION,
        },
      );
      expect(exists).toMatchObject({ expected: NO_STREAM_REVISION, actual: 0 });
      const missing = translateError(
        new WrongExpectedVersionError(undefined, {
          streamName: 's',
          expected: 2n,
          current: NO_STREAM,
        }),
      );
      expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
      expect(missing).toMatchObject({ streamId: 's', expected: 2, actual: NO_STREAM_REVISION });
    });

    it('maps a soft append failure (throwOnAppendFailure=false) the same way', () => {
      expect(failedAppendError('s', 1, -1n)).toMatchObject({
        expected: 1,
        actual: NO_STREAM_REVISION,
      });
      expect(failedAppendError('s', NO_STREAM_REVISION, 2n)).toMatchObject({
        expected: NO_STREAM_REVISION,
        actual: 2,
      });
    });

    it('maps unreachable, slow and discovery failures to EventStoreUnavailableError', () => {
      const cases = [
        new UnavailableError(undefined, 'No connection established'),
        new DeadlineExceededError(undefined, 'Deadline exceeded'),
        new Error('Failed to discover after 10 attempts.'),
      ];
      for (const error of cases) {
        const mapped = translateError(error);
        expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
        expect((mapped as Error).message).toContain(error.message);
        expect((mapped as Error).cause).toBe(error);
      }
    });

    it('maps a raw gRPC error the client did not convert (the server-features probe before an append)', () => {
      const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
        code: 14,
        details: 'No connection established',
      });
      const mapped = translateError(raw);
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect((mapped as Error).message).toContain('No connection established');
    });

    it('passes anything else through unchanged', () => {
      const denied = new AccessDeniedError(undefined, 'denied');
      const notFound = new StreamNotFoundError(undefined, 's');
      const bug = new TypeError('bug');
      expect(translateError(denied)).toBe(denied);
      expect(translateError(notFound)).toBe(notFound);
      expect(translateError(bug)).toBe(bug);
    });
  });
});
