import {
  ClaimHeldElsewhereError,
  DuplicateEventIdError,
  MAX_STREAM_TAILS_PER_READ,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type NewEvent,
} from '../../src/event-store/event-store.port';
import {
  expectConflict,
  expectNoDuplicates,
  expectStreamOrder,
  LogReader,
  markPosition,
  newEvent,
  newEvents,
  readUntilSeen,
  shuffle,
  uniquePrefix,
} from './support/event-store-kit';
import { describeExclusiveAppendContract } from './append-exclusive.contract';
import { describeRateCardStreamContract } from './rate-card-stream.contract';

/** An append that holds its place in the global order but becomes visible only on commit. */
export interface HeldAppend {
  result: AppendResult;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface EventStoreContractSubject {
  store: EventStore;
  /** After the suite has closed the store (the port's `close`). */
  teardown(): Promise<void>;
  /**
   * Optional capability, for adapters with long-running transactions (PostgreSQL: an open
   * transaction that already holds its xid and global positions). Without it the late-commit
   * case passes vacuously.
   */
  holdOpenTransaction?(streamId: string, events: NewEvent[]): Promise<HeldAppend>;
}

/** The port's optional methods (`name?(…)`), which an adapter may leave out. */
type OptionalPortMethod = {
  [K in keyof EventStore]-?: object extends Pick<EventStore, K> ? K : never;
}[keyof EventStore];

/**
 * Which optional methods the adapter under test implements. Declared by each adapter's suite, so
 * a missing implementation fails a test instead of skipping that method's contract silently; a
 * new optional method on the port makes every suite declare it (a compile error until then).
 */
export type ContractCapabilities = { [K in OptionalPortMethod]: boolean };

/**
 * Every method of the port and where this suite checks it. `satisfies` turns a method added to
 * the port into a compile error here until it is listed, with its contract tests.
 */
export const PORT_METHODS_UNDER_CONTRACT = {
  appendToStream: 'appending and reading a stream; optimistic concurrency; edge cases of appending',
  appendExclusive: 'holding a stream (optional: see ContractCapabilities)',
  readStream: 'appending and reading a stream',
  readStreamTails: 'appending and reading a stream: reads the tails of many streams in one call …',
  findInStream: 'appending and reading a stream: finds the events whose data field equals …',
  streamRevision: 'appending and reading a stream; optimistic concurrency',
  readAll: 'the global log',
  comparePositions: 'the global log: compares positions consistently …',
  ping: 'answers a ping',
  close: 'afterAll: every suite ends by closing its store',
} as const satisfies Record<keyof EventStore, string>;

/**
 * The behaviour every EventStore adapter shares (src/event-store/event-store.port.ts). Adapter
 * agnostic: tests isolate themselves by unique stream prefixes and read the global log only after
 * a position they marked, so they also run against a shared, long-lived server (EventStoreDB).
 */
export function describeEventStoreContract(
  name: string,
  setup: () => Promise<EventStoreContractSubject>,
  capabilities: ContractCapabilities,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });
    afterAll(async () => {
      await store?.close();
      await subject?.teardown();
    });

    it('implements every method of the port, the optional ones as declared', () => {
      const optional = new Set<string>(Object.keys(capabilities));
      for (const method of Object.keys(PORT_METHODS_UNDER_CONTRACT) as (keyof EventStore)[]) {
        const expected = optional.has(method) ? capabilities[method as OptionalPortMethod] : true;
        expect({ method, implemented: typeof store[method] === 'function' }).toEqual({
          method,
          implemented: expected,
        });
      }
    });

    describeExclusiveAppendContract(() => store, capabilities.appendExclusive);
    describeRateCardStreamContract(() => store);

    describe('appending and reading a stream', () => {
      it('reads back what was appended: ids, types, data, metadata, revisions 0..n and increasing positions', async () => {
        const streamId = `${uniquePrefix('read-back')}account`;
        const events = [
          newEvent('CreditsPurchased', {
            credits: 100,
            money: { minor: 999, currency: 'USD' },
            tags: ['a', 'b'],
            note: null,
          }),
          newEvent(
            'CreditsSpent',
            { credits: 7, text: 'ünïcødé ✓ "quoted" \\ back' },
            { actor: { kind: 'apiKey', id: 'k1' } },
          ),
          newEvent('CreditsExpired', { nested: { deep: { flag: true, ratio: 0.25 } } }),
        ];
        const result = await store.appendToStream(streamId, events, {
          expectedRevision: NO_STREAM_REVISION,
        });
        const read = await store.readStream(streamId);

        expect(result.lastRevision).toBe(2);
        expect(
          read.map((event) => ({ ...event, position: undefined, recordedAt: undefined })),
        ).toEqual(
          events.map((event, revision) => ({
            ...event,
            streamId,
            revision,
            position: undefined,
            recordedAt: undefined,
          })),
        );
        for (const event of read) expect(event.recordedAt).toBeInstanceOf(Date);
        for (let i = 1; i < read.length; i++)
          expect(store.comparePositions(read[i - 1].position, read[i].position)).toBeLessThan(0);
        expect(result.position).toBe(read[2].position);
        expect(await store.streamRevision(streamId)).toBe(2);
      });

      it('continues a stream from the expected revision', async () => {
        const streamId = `${uniquePrefix('continue')}account`;
        const first = await store.appendToStream(streamId, newEvents(2), {
          expectedRevision: NO_STREAM_REVISION,
        });
        const second = await store.appendToStream(streamId, newEvents(3), { expectedRevision: 1 });
        const read = await store.readStream(streamId);

        expect(second.lastRevision).toBe(4);
        expect(read.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(store.comparePositions(first.position, second.position)).toBeLessThan(0);
        expect(second.position).toBe(read[4].position);
      });

      it('reads a stream from a revision and up to a count', async () => {
        const streamId = `${uniquePrefix('ranges')}account`;
        await store.appendToStream(streamId, newEvents(5), {
          expectedRevision: NO_STREAM_REVISION,
        });
        const revisions = async (options: { fromRevision?: number; maxCount?: number }) =>
          (await store.readStream(streamId, options)).map((event) => event.revision);

        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await revisions({ fromRevision: 1, maxCount: 3 })).toEqual([1, 2, 3]);
        expect(await revisions({ fromRevision: 4, maxCount: 10 })).toEqual([4]);
        expect(await revisions({ fromRevision: 5 })).toEqual([]);
        expect(await revisions({ fromRevision: 99 })).toEqual([]);
        expect(await revisions({ maxCount: 0 })).toEqual([]);
      });

      it('reads the tails of many streams in one call, in the order asked, each up to a count', async () => {
        const prefix = uniquePrefix('tails');
        const [a, b, missing] = [`${prefix}a`, `${prefix}b`, `${prefix}missing`];
        await store.appendToStream(a, newEvents(4), { expectedRevision: NO_STREAM_REVISION });
        await store.appendToStream(b, newEvents(2), { expectedRevision: NO_STREAM_REVISION });
        const tails = await store.readStreamTails(
          [
            { streamId: b, fromRevision: 1 },
            { streamId: missing, fromRevision: 0 },
            { streamId: a, fromRevision: 1 },
            { streamId: `${prefix}caught-up`, fromRevision: 7 },
          ],
          2,
        );
        expect(
          tails.map((tail) => tail.map((event) => `${event.streamId}@${event.revision}`)),
        ).toEqual([[`${b}@1`], [], [`${a}@1`, `${a}@2`], []]);
        const [[fromB]] = tails;
        const [direct] = await store.readStream(b, { fromRevision: 1 });
        expect(fromB).toEqual(direct);
        expect(await store.readStreamTails([], 1)).toEqual([]);
        await expect(
          store.readStreamTails(
            [
              { streamId: a, fromRevision: 0 },
              { streamId: a, fromRevision: 1 },
            ],
            1,
          ),
        ).rejects.toThrow(RangeError);
        await expect(store.readStreamTails([{ streamId: a, fromRevision: 0 }], 0)).rejects.toThrow(
          RangeError,
        );
        await expect(
          store.readStreamTails(
            Array.from({ length: MAX_STREAM_TAILS_PER_READ + 1 }, (_, index) => ({
              streamId: `${prefix}many-${index}`,
              fromRevision: 0,
            })),
            1,
          ),
        ).rejects.toThrow(RangeError);
      });

      it('finds the events whose data field equals a string, in order, up to a revision', async () => {
        const streamId = `${uniquePrefix('find')}account`;
        await store.appendToStream(
          streamId,
          [
            newEvent('CreditsSpent', { spendId: 's1', credits: 5 }),
            newEvent('CreditsSpent', { spendId: 's2', credits: 6 }),
            newEvent('CreditsRefunded', { spendId: 's1', credits: 2 }),
            newEvent('CreditsExpired', { blockId: 's1' }),
            newEvent('CreditsRefunded', { spendId: 's1', credits: 1 }),
            newEvent('CreditsSpent', { spendId: 7, credits: 7 }),
          ],
          { expectedRevision: NO_STREAM_REVISION },
        );
        const found = async (equals: string, throughRevision: number) =>
          (
            await store.findInStream(streamId, { dataField: 'spendId', equals, throughRevision })
          ).map((event) => [event.revision, event.type]);

        expect(await found('s1', 5)).toEqual([
          [0, 'CreditsSpent'],
          [2, 'CreditsRefunded'],
          [4, 'CreditsRefunded'],
        ]);
        expect(await found('s1', 3)).toEqual([
          [0, 'CreditsSpent'],
          [2, 'CreditsRefunded'],
        ]);
        expect(await found('s1', 0)).toEqual([[0, 'CreditsSpent']]);
        expect(await found('s1', 99)).toHaveLength(3);
        expect(await found('7', 5)).toEqual([]); // a string never matches a number
        expect(await found('s3', 5)).toEqual([]);
        const [event] = await store.findInStream(streamId, {
          dataField: 'spendId',
          equals: 's2',
          throughRevision: 5,
        });
        expect(event).toMatchObject({
          streamId,
          revision: 1,
          type: 'CreditsSpent',
          data: { spendId: 's2', credits: 6 },
        });
        expect(
          await store.findInStream(`${streamId}-missing`, {
            dataField: 'spendId',
            equals: 's1',
            throughRevision: 5,
          }),
        ).toEqual([]);
        await expect(
          store.findInStream(streamId, { dataField: '', equals: 's1', throughRevision: 5 }),
        ).rejects.toThrow(TypeError);
        await expect(
          store.findInStream(streamId, { dataField: 'spendId', equals: 's1', throughRevision: -1 }),
        ).rejects.toThrow(RangeError);
        // Text PostgreSQL cannot take (a NUL) or would change (an unpaired surrogate): refused by every adapter alike.
        await expect(
          store.findInStream(streamId, {
            dataField: 'spendId',
            equals: 's1\u0000',
            throughRevision: 5,
          }),
        ).rejects.toThrow(TypeError);
        await expect(
          store.findInStream(streamId, {
            dataField: 'spendId',
            equals: 's1\ud800',
            throughRevision: 5,
          }),
        ).rejects.toThrow(TypeError);
      });

      it('gives the same answer with firstMatchType, the earliest match (a backwards reader stops there)', async () => {
        const streamId = `${uniquePrefix('find-first')}account`;
        await store.appendToStream(
          streamId,
          [
            newEvent('CreditsSpent', { spendId: 's0', credits: 1 }),
            newEvent('CreditsSpent', { spendId: 's1', credits: 5 }),
            ...newEvents(3, 'CreditsSpent'),
            newEvent('CreditsRefunded', { spendId: 's1', credits: 2 }),
            newEvent('CreditsSpent', { spendId: 's2', credits: 6 }),
            newEvent('CreditsRefunded', { spendId: 's1', credits: 1 }),
          ],
          { expectedRevision: NO_STREAM_REVISION },
        );
        const found = async (equals: string, throughRevision: number, firstMatchType?: string) =>
          (
            await store.findInStream(streamId, {
              dataField: 'spendId',
              equals,
              throughRevision,
              firstMatchType,
            })
          ).map((event) => [event.revision, event.type]);

        expect(await found('s1', 7, 'CreditsSpent')).toEqual([
          [1, 'CreditsSpent'],
          [5, 'CreditsRefunded'],
          [7, 'CreditsRefunded'],
        ]);
        expect(await found('s1', 7, 'CreditsSpent')).toEqual(await found('s1', 7));
        expect(await found('s1', 6, 'CreditsSpent')).toEqual([
          [1, 'CreditsSpent'],
          [5, 'CreditsRefunded'],
        ]);
        expect(await found('s1', 1, 'CreditsSpent')).toEqual([[1, 'CreditsSpent']]);
        expect(await found('s0', 99, 'CreditsSpent')).toEqual([[0, 'CreditsSpent']]);
        expect(await found('s3', 7, 'CreditsSpent')).toEqual([]);
        expect(await found('s1', 7, 'NoSuchType')).toEqual(await found('s1', 7));
        await expect(
          store.findInStream(streamId, {
            dataField: 'spendId',
            equals: 's1',
            throughRevision: 7,
            firstMatchType: '',
          }),
        ).rejects.toThrow(TypeError);
      });

      it('reads a missing stream as empty with no revision', async () => {
        const streamId = `${uniquePrefix('missing')}account`;
        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readStream(streamId, { fromRevision: 3, maxCount: 2 })).toEqual([]);
        expect(await store.streamRevision(streamId)).toBe(NO_STREAM_REVISION);
      });

      it("appends with 'any' to a missing and to an existing stream", async () => {
        const streamId = `${uniquePrefix('any')}account`;
        expect(
          (await store.appendToStream(streamId, newEvents(2), { expectedRevision: 'any' }))
            .lastRevision,
        ).toBe(1);
        expect(
          (await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'any' }))
            .lastRevision,
        ).toBe(2);
        expect((await store.readStream(streamId)).map((event) => event.revision)).toEqual([
          0, 1, 2,
        ]);
      });
    });

    describe('optimistic concurrency', () => {
      it('rejects NO_STREAM_REVISION on an existing stream with the actual revision and writes nothing', async () => {
        const streamId = `${uniquePrefix('exists')}account`;
        await store.appendToStream(streamId, newEvents(2), {
          expectedRevision: NO_STREAM_REVISION,
        });
        const rejected = newEvent('Rejected');

        await expectConflict(
          store.appendToStream(streamId, [rejected], { expectedRevision: NO_STREAM_REVISION }),
          {
            streamId,
            expected: NO_STREAM_REVISION,
            actual: 1,
          },
        );
        expect(await store.readStream(streamId)).toHaveLength(2);
        expect(await store.streamRevision(streamId)).toBe(1);
        // Nothing of the rejected append was kept, not even its event id.
        expect(
          (await store.appendToStream(streamId, [rejected], { expectedRevision: 1 })).lastRevision,
        ).toBe(2);
      });

      it('rejects a stale or future expected revision with the actual revision and writes nothing', async () => {
        const streamId = `${uniquePrefix('stale')}account`;
        await store.appendToStream(streamId, newEvents(3), {
          expectedRevision: NO_STREAM_REVISION,
        });
        const rejected = newEvents(2);

        await expectConflict(store.appendToStream(streamId, rejected, { expectedRevision: 0 }), {
          streamId,
          expected: 0,
          actual: 2,
        });
        await expectConflict(store.appendToStream(streamId, rejected, { expectedRevision: 5 }), {
          streamId,
          expected: 5,
          actual: 2,
        });
        expect((await store.readStream(streamId)).map((event) => event.revision)).toEqual([
          0, 1, 2,
        ]);
        expect(
          (await store.appendToStream(streamId, rejected, { expectedRevision: 2 })).lastRevision,
        ).toBe(4);
      });

      it('rejects an expected revision on a missing stream with actual no_stream', async () => {
        const streamId = `${uniquePrefix('absent')}account`;
        await expectConflict(
          store.appendToStream(streamId, newEvents(1), { expectedRevision: 0 }),
          {
            streamId,
            expected: 0,
            actual: NO_STREAM_REVISION,
          },
        );
        expect(await store.streamRevision(streamId)).toBe(NO_STREAM_REVISION);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('lets exactly one of many concurrent appenders win each revision; the stream stays gapless', async () => {
        const prefix = uniquePrefix('race');
        const streamId = `${prefix}account`;
        const winners: { revision: number; event: NewEvent }[] = [];
        const losers: NewEvent[] = [];
        const writer = async () => {
          for (let round = 0; round < 10; round++) {
            const current = await store.streamRevision(streamId);
            const event = newEvent('Raced', { round });
            try {
              const result = await store.appendToStream(streamId, [event], {
                expectedRevision: current,
              });
              winners.push({ revision: result.lastRevision, event });
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
              expect(error.actual).not.toEqual(current);
              losers.push(event);
            }
          }
        };
        const start = await markPosition(store, prefix);
        await Promise.all(Array.from({ length: 20 }, writer));

        const stream = await store.readStream(streamId);
        expect(winners.length).toBeGreaterThan(0);
        expect(winners.length + losers.length).toBe(200);
        expect(stream.map((event) => event.revision)).toEqual(stream.map((_, index) => index));
        expect(stream).toHaveLength(winners.length);
        expect(new Set(winners.map((winner) => winner.revision)).size).toBe(winners.length);
        for (const { revision, event } of winners)
          expect(stream[revision].eventId).toBe(event.eventId);
        const storedIds = new Set(stream.map((event) => event.eventId));
        for (const loser of losers) expect(storedIds.has(loser.eventId)).toBe(false);

        // The global log agrees with the stream's order.
        const seen = await readUntilSeen(
          new LogReader(store, start, { streamPrefix: prefix }),
          storedIds,
          prefix,
        );
        expect(
          seen.filter((event) => event.streamId === streamId).map((event) => event.eventId),
        ).toEqual(stream.map((event) => event.eventId));
      });

      it("lets concurrent 'any' appenders all succeed into one gapless stream", async () => {
        const prefix = uniquePrefix('any-race');
        const streamId = `${prefix}account`;
        const appended: NewEvent[] = [];
        const writer = async () => {
          for (let round = 0; round < 5; round++) {
            const events = newEvents(1 + (round % 2), 'AnyRaced');
            await store.appendToStream(streamId, events, { expectedRevision: 'any' });
            appended.push(...events);
          }
        };
        const start = await markPosition(store, prefix);
        await Promise.all(Array.from({ length: 10 }, writer));

        const stream = await store.readStream(streamId);
        expect(stream.map((event) => event.revision)).toEqual(appended.map((_, index) => index));
        expect(new Set(stream.map((event) => event.eventId))).toEqual(
          new Set(appended.map((event) => event.eventId)),
        );
        const seen = await readUntilSeen(
          new LogReader(store, start, { streamPrefix: prefix }),
          stream.map((event) => event.eventId),
          prefix,
        );
        expectStreamOrder(seen.filter((event) => event.streamId === streamId));
      });
    });

    describe('edge cases of appending', () => {
      it('treats an empty append as a check of the expectation that writes nothing', async () => {
        const streamId = `${uniquePrefix('empty')}account`;
        expect(
          (await store.appendToStream(streamId, [], { expectedRevision: 'any' })).lastRevision,
        ).toBe(-1);
        expect(
          (await store.appendToStream(streamId, [], { expectedRevision: NO_STREAM_REVISION }))
            .lastRevision,
        ).toBe(-1);
        await expectConflict(store.appendToStream(streamId, [], { expectedRevision: 0 }), {
          streamId,
          expected: 0,
          actual: NO_STREAM_REVISION,
        });
        expect(await store.streamRevision(streamId)).toBe(NO_STREAM_REVISION);

        const written = await store.appendToStream(streamId, newEvents(2), {
          expectedRevision: NO_STREAM_REVISION,
        });
        expect(await store.appendToStream(streamId, [], { expectedRevision: 1 })).toEqual(written);
        expect(await store.appendToStream(streamId, [], { expectedRevision: 'any' })).toEqual(
          written,
        );
        await expectConflict(store.appendToStream(streamId, [], { expectedRevision: 0 }), {
          streamId,
          expected: 0,
          actual: 1,
        });
        await expectConflict(
          store.appendToStream(streamId, [], { expectedRevision: NO_STREAM_REVISION }),
          { streamId, expected: NO_STREAM_REVISION, actual: 1 },
        );
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('never records the events of a retried append twice', async () => {
        const streamId = `${uniquePrefix('retry')}account`;
        const events = newEvents(2);
        await store.appendToStream(streamId, events, { expectedRevision: NO_STREAM_REVISION });
        // Adapters either reject a retry or recognise it as idempotent; neither may write again.
        await store
          .appendToStream(streamId, events, { expectedRevision: NO_STREAM_REVISION })
          .catch((error: unknown) => expect(error).toBeInstanceOf(Error));
        await store
          .appendToStream(streamId, events, { expectedRevision: 'any' })
          .catch((error: unknown) => expect(error).toBeInstanceOf(Error));

        const read = await store.readStream(streamId);
        expect(read.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
        expect(await store.streamRevision(streamId)).toBe(1);
      });

      it('rejects a batch that repeats an event id, writing nothing', async () => {
        const streamId = `${uniquePrefix('dup-batch')}account`;
        const event = newEvent();
        await expect(
          store.appendToStream(streamId, [event, newEvent(), event], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.streamRevision(streamId)).toBe(NO_STREAM_REVISION);
      });

      it('rejects malformed appends before writing', async () => {
        const streamId = `${uniquePrefix('malformed')}account`;
        await expect(
          store.appendToStream(streamId, [{ ...newEvent(), eventId: 'not-a-uuid' }], {
            expectedRevision: 'any',
          }),
        ).rejects.toThrow(TypeError);
        await expect(
          // Below NO_STREAM_REVISION (-1), which means the stream must not exist yet.
          store.appendToStream(streamId, newEvents(1), { expectedRevision: -2 }),
        ).rejects.toThrow(RangeError);
        await expect(
          store.appendToStream(streamId, newEvents(1), { expectedRevision: 1.5 }),
        ).rejects.toThrow(RangeError);
        expect(await store.streamRevision(streamId)).toBe(NO_STREAM_REVISION);
      });
    });

    describe('the global log', () => {
      it('pages through every event exactly once, in an order consistent with each stream', async () => {
        const prefix = uniquePrefix('global');
        const start = await markPosition(store, prefix);
        const streams = ['a', 'b', 'c', 'd'].map((suffix) => `${prefix}${suffix}`);
        const appended: NewEvent[] = [];
        const revisions = new Map<string, number>();
        // Interleaved appends of 1-3 events to four streams, issued one by one.
        for (const streamId of shuffle(
          streams.flatMap((streamId) => Array<string>(6).fill(streamId)),
        )) {
          const events = newEvents(1 + Math.floor(Math.random() * 3));
          const current = revisions.get(streamId);
          const result = await store.appendToStream(streamId, events, {
            expectedRevision: current ?? NO_STREAM_REVISION,
          });
          revisions.set(streamId, result.lastRevision);
          appended.push(...events);
        }

        const reader = new LogReader(store, start, { pageSize: () => 7 });
        const seen = await readUntilSeen(
          reader,
          appended.map((event) => event.eventId),
          prefix,
        );
        const own = seen.filter((event) => streams.includes(event.streamId));
        expect(own.map((event) => event.eventId)).toEqual(appended.map((event) => event.eventId));
        expectNoDuplicates(reader.seen);
        expectStreamOrder(own);
        expect(reader.pages).toBeGreaterThan(appended.length / 7);
        expect(reader.seen.some((event) => event.position === start)).toBe(false);
        // Positions in the log are the ones the streams report.
        for (const streamId of streams) {
          const stream = await store.readStream(streamId);
          expect(
            own.filter((event) => event.streamId === streamId).map((event) => event.position),
          ).toEqual(stream.map((event) => event.position));
        }
      });

      it('returns only events after the given position', async () => {
        const prefix = uniquePrefix('after');
        const first = await store.appendToStream(`${prefix}s`, newEvents(2), {
          expectedRevision: NO_STREAM_REVISION,
        });
        const later = newEvents(2);
        await store.appendToStream(`${prefix}s`, later, { expectedRevision: 1 });

        const seen = await readUntilSeen(
          new LogReader(store, first.position, { streamPrefix: prefix }),
          later.map((event) => event.eventId),
          prefix,
        );
        expect(seen.map((event) => event.eventId)).toEqual(later.map((event) => event.eventId));
      });

      it('filters by a literal stream-id prefix', async () => {
        const prefix = uniquePrefix('prefix');
        const start = await markPosition(store, prefix);
        const matching = [`${prefix}x_1`, `${prefix}x_2`];
        const others = [`${prefix}xy1`, `${prefix}x`, `${prefix}X_1`, `other-${prefix}x_1`];
        const appended = new Map<string, NewEvent[]>();
        for (const streamId of shuffle([...matching, ...matching, ...others])) {
          const events = newEvents(2);
          const previous = appended.get(streamId) ?? [];
          await store.appendToStream(streamId, events, { expectedRevision: 'any' });
          appended.set(streamId, [...previous, ...events]);
        }
        const expectedIds = matching.flatMap((streamId) =>
          appended.get(streamId)!.map((event) => event.eventId),
        );

        const reader = new LogReader(store, start, {
          streamPrefix: `${prefix}x_`,
          pageSize: () => 3,
        });
        await readUntilSeen(reader, expectedIds, prefix);
        // Also drained after the last match: nothing of the other streams came through.
        await readUntilSeen(
          new LogReader(store, start),
          others.flatMap((streamId) => appended.get(streamId)!.map((event) => event.eventId)),
          prefix,
        );
        await reader.catchUp();
        expect(new Set(reader.seen.map((event) => event.streamId))).toEqual(new Set(matching));
        expect(reader.seenIds().sort()).toEqual([...expectedIds].sort());
        expectStreamOrder(reader.seen);
      });

      it('compares positions consistently with the order of the log', async () => {
        const prefix = uniquePrefix('compare');
        const start = await markPosition(store, prefix);
        const appended: NewEvent[] = [];
        for (const streamId of [`${prefix}p`, `${prefix}q`, `${prefix}p`, `${prefix}r`]) {
          const events = newEvents(2);
          await store.appendToStream(streamId, events, { expectedRevision: 'any' });
          appended.push(...events);
        }
        const seen = await readUntilSeen(
          new LogReader(store, start, { streamPrefix: prefix }),
          appended.map((event) => event.eventId),
          prefix,
        );
        const positions = seen.map((event) => event.position);

        for (let i = 0; i < positions.length; i++) {
          expect(store.comparePositions(positions[i], positions[i])).toBe(0);
          expect(store.comparePositions(start, positions[i])).toBeLessThan(0);
          for (let j = i + 1; j < positions.length; j++) {
            expect(store.comparePositions(positions[i], positions[j])).toBeLessThan(0);
            expect(store.comparePositions(positions[j], positions[i])).toBeGreaterThan(0);
          }
        }
        const sorted = shuffle(positions).sort((a, b) => store.comparePositions(a, b));
        expect(sorted).toEqual(positions);
      });

      it('rejects a page size below one', async () => {
        await expect(store.readAll({ after: null, maxCount: 0 })).rejects.toThrow(RangeError);
      });

      it('lets a polling reader see an event committed late by a slow transaction exactly once', async () => {
        if (!subject.holdOpenTransaction) return; // capability absent: nothing can commit late
        const prefix = uniquePrefix('late');
        const reader = new LogReader(store, await markPosition(store, prefix), {
          streamPrefix: prefix,
        });
        const slow = newEvent('Slow');
        const held = await subject.holdOpenTransaction(`${prefix}slow`, [slow]);
        const fast: NewEvent[] = [];
        try {
          for (let i = 0; i < 10; i++) {
            const events = newEvents(1, 'Fast');
            await store.appendToStream(`${prefix}fast-${i}`, events, {
              expectedRevision: NO_STREAM_REVISION,
            });
            fast.push(...events);
            await reader.catchUp();
          }
          expect(reader.seenIds()).not.toContain(slow.eventId);
        } finally {
          await held.commit();
        }
        await readUntilSeen(
          reader,
          [slow, ...fast].map((event) => event.eventId),
          prefix,
        );
        expect(reader.seenIds().sort()).toEqual(
          [slow, ...fast].map((event) => event.eventId).sort(),
        );
        expectNoDuplicates(reader.seen);
      });
    });

    describe('claims (a value at most one stream ever holds)', () => {
      /** Claims are not streams of the test's prefix: on EventStoreDB each is a stream of its own. */
      const newClaim = (label: string) => `claim-${uniquePrefix(label)}value`;

      it('gives the value to the first stream; another stream is refused, naming the holder, and writes nothing', async () => {
        const prefix = uniquePrefix('claim');
        const claim = newClaim('first');
        const [a, b] = [`${prefix}a`, `${prefix}b`];
        await store.appendToStream(a, newEvents(1), {
          expectedRevision: NO_STREAM_REVISION,
          claim,
        });

        const refused = await store
          .appendToStream(b, newEvents(1), { expectedRevision: NO_STREAM_REVISION, claim })
          .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(ClaimHeldElsewhereError);
        expect(refused).toMatchObject({ streamId: b, claim, holderStreamId: a });
        expect(await store.streamRevision(b)).toBe(NO_STREAM_REVISION);

        // An existing stream is refused the same way, and keeps what it had.
        await store.appendToStream(b, newEvents(2), { expectedRevision: NO_STREAM_REVISION });
        await expect(
          store.appendToStream(b, newEvents(1), { expectedRevision: 1, claim }),
        ).rejects.toBeInstanceOf(ClaimHeldElsewhereError);
        expect(await store.streamRevision(b)).toBe(1);

        // The holder may append with it again; other claims are unaffected.
        expect(
          (await store.appendToStream(a, newEvents(1), { expectedRevision: 0, claim }))
            .lastRevision,
        ).toBe(1);
        expect(
          (
            await store.appendToStream(b, newEvents(1), {
              expectedRevision: 1,
              claim: newClaim('other'),
            })
          ).lastRevision,
        ).toBe(2);
      });

      it('leaves the value free when the append that claimed it is refused', async () => {
        const prefix = uniquePrefix('claim-refused');
        const claim = newClaim('refused');
        const [a, b] = [`${prefix}a`, `${prefix}b`];
        await store.appendToStream(a, newEvents(2), { expectedRevision: NO_STREAM_REVISION });

        await expectConflict(
          store.appendToStream(a, newEvents(1), { expectedRevision: 5, claim }),
          { streamId: a, expected: 5, actual: 1 },
        );
        await expectConflict(
          store.appendToStream(a, newEvents(1), { expectedRevision: 0, claim }),
          { streamId: a, expected: 0, actual: 1 },
        );
        await expectConflict(
          store.appendToStream(a, newEvents(1), { expectedRevision: NO_STREAM_REVISION, claim }),
          { streamId: a, expected: NO_STREAM_REVISION, actual: 1 },
        );
        expect(await store.streamRevision(a)).toBe(1);

        const won = newEvents(1);
        await store.appendToStream(b, won, { expectedRevision: NO_STREAM_REVISION, claim });
        expect((await store.readStream(b)).map((event) => event.eventId)).toEqual(
          won.map((event) => event.eventId),
        );
        await expect(
          store.appendToStream(a, newEvents(1), { expectedRevision: 1, claim }),
        ).rejects.toBeInstanceOf(ClaimHeldElsewhereError);
        expect(await store.streamRevision(a)).toBe(1);
      });

      it('lets exactly one of many concurrent appends to different streams take a value', async () => {
        const prefix = uniquePrefix('claim-race');
        const claim = newClaim('race');
        const streams = Array.from({ length: 12 }, (_, index) => `${prefix}s${index}`);
        // Half the streams exist already, so both kinds of expectation race.
        for (const streamId of streams.filter((_, index) => index % 2 === 1))
          await store.appendToStream(streamId, newEvents(1), {
            expectedRevision: NO_STREAM_REVISION,
          });
        const outcomes = await Promise.allSettled(
          streams.map((streamId, index) =>
            store.appendToStream(streamId, newEvents(1), {
              expectedRevision: index % 2 === 1 ? 0 : NO_STREAM_REVISION,
              claim,
            }),
          ),
        );

        const winners = streams.filter((_, index) => outcomes[index].status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome.status === 'fulfilled') continue;
          expect(outcome.reason).toBeInstanceOf(ClaimHeldElsewhereError);
          expect(outcome.reason).toMatchObject({
            streamId: streams[index],
            holderStreamId: winners[0],
          });
        }
        for (const [index, streamId] of streams.entries()) {
          const expected = (index % 2 === 1 ? 1 : 0) + (streamId === winners[0] ? 1 : 0) - 1;
          expect(await store.streamRevision(streamId)).toBe(
            expected < 0 ? NO_STREAM_REVISION : expected,
          );
        }
      });

      it("refuses a claim with an 'any' expectation or without events, before writing", async () => {
        const streamId = `${uniquePrefix('claim-malformed')}a`;
        const claim = newClaim('malformed');
        await expect(
          store.appendToStream(streamId, newEvents(1), { expectedRevision: 'any', claim }),
        ).rejects.toThrow(RangeError);
        await expect(
          store.appendToStream(streamId, [], { expectedRevision: NO_STREAM_REVISION, claim }),
        ).rejects.toThrow(RangeError);
        await expect(
          store.appendToStream(streamId, newEvents(1), {
            expectedRevision: NO_STREAM_REVISION,
            claim: '',
          }),
        ).rejects.toThrow(TypeError);
        expect(await store.streamRevision(streamId)).toBe(NO_STREAM_REVISION);
        // The value is still free.
        await store.appendToStream(`${streamId}-2`, newEvents(1), {
          expectedRevision: NO_STREAM_REVISION,
          claim,
        });
      });

      it('claims from an exclusive append, all or nothing (where the store has exclusive appends)', async () => {
        if (!store.appendExclusive) return; // capability absent
        const prefix = uniquePrefix('claim-exclusive');
        const claim = newClaim('exclusive');
        const [a, b] = [`${prefix}a`, `${prefix}b`];
        await store.appendToStream(a, newEvents(1), { expectedRevision: NO_STREAM_REVISION });
        await store.appendToStream(b, newEvents(1), { expectedRevision: NO_STREAM_REVISION });

        const first = await store.appendExclusive(a, {
          knownRevision: 0,
          decide: () => newEvents(1),
          claimFor: () => claim,
        });
        expect(first.appended?.lastRevision).toBe(1);
        const refused = store.appendExclusive(b, {
          knownRevision: 0,
          decide: () => newEvents(2),
          claimFor: () => claim,
        });
        await expect(refused).rejects.toMatchObject({
          name: 'ClaimHeldElsewhereError',
          holderStreamId: a,
        });
        expect(await store.streamRevision(b)).toBe(0);
        // No claim for what was decided: an ordinary exclusive append.
        expect(
          (
            await store.appendExclusive(b, {
              knownRevision: 0,
              decide: () => newEvents(1),
              claimFor: () => undefined,
            })
          ).appended?.lastRevision,
        ).toBe(1);
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
