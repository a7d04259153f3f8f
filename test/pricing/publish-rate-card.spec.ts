import {
  WrongExpectedRevisionError,
  type EventStore,
} from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { RateCardInvalidError, RateCardPublishConflictError } from '../../src/pricing/errors';
import { RATE_CARD_STREAM } from '../../src/pricing/rate-card-stream';
import { ManualClock } from '../../src/shared/clock';
import { operation } from './fixtures';
import { pricingProcess } from './support';

/** The in-memory store as EventStoreDB is: no way to hold a stream, optimistic appends only. */
function withoutHolding(store: InMemoryEventStore): EventStore {
  return new Proxy(store, {
    get: (target, property, receiver) =>
      property === 'appendExclusive' ? undefined : Reflect.get(target, property, receiver),
  });
}

describe('PublishRateCard', () => {
  it('appends RateCardPublished to the rate-card stream, with the actor in its metadata', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock('2026-03-01T12:00:00.000Z');
    const { publish } = pricingProcess(store, {}, clock);
    const published = await publish([operation('render')], 'ops-key');
    expect(published).toEqual({
      version: 1,
      publishedAt: '2026-03-01T12:00:00.000Z',
      operations: [operation('render')],
    });
    const [event] = await store.readStream(RATE_CARD_STREAM);
    expect(event).toMatchObject({
      streamId: 'rate-card',
      revision: 0,
      type: 'RateCardPublished',
      data: published,
      metadata: {
        occurredAt: '2026-03-01T12:00:00.000Z',
        correlationId: 'req-ops-key',
        actor: { kind: 'admin', id: 'ops-key' },
        schemaVersion: 1,
      },
    });
    clock.advance(60_000);
    expect((await publish([operation('video-export')])).version).toBe(2);
    expect(await store.streamRevision(RATE_CARD_STREAM)).toBe(1);
  });

  it('writes nothing when the card has problems, and says every one', async () => {
    const store = new InMemoryEventStore();
    const { publish } = pricingProcess(store);
    const error = await publish([operation('a'), operation('a'), { operationId: 'B' }]).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RateCardInvalidError);
    expect((error as RateCardInvalidError).problems.map((problem) => problem.field)).toEqual([
      'operations[2].operationId',
      'operations[2].name',
      'operations[2].unit',
      'operations[2].pricing',
      'operations[1].operationId',
    ]);
    expect(await store.streamRevision(RATE_CARD_STREAM)).toBe(-1);
  });

  it.each([
    ['holding the stream after a lost race (PostgreSQL, in-memory)', false],
    ['optimistic retries with jittered pauses (EventStoreDB)', true],
  ])(
    'makes consecutive versions of concurrent publications on three processes: %s',
    async (_how, optimisticOnly) => {
      const shared = new InMemoryEventStore();
      const store = optimisticOnly ? withoutHolding(shared) : shared;
      const processes = [pricingProcess(store), pricingProcess(store), pricingProcess(store)];
      const published = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          processes[index % 3].publish([operation(`card-${index}`)]),
        ),
      );
      expect(published.map((card) => card.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, index) => index + 1),
      );
      // Each answer is the card that was written at its version.
      const events = await shared.readStream(RATE_CARD_STREAM);
      for (const card of published) expect(events[card.version - 1].data).toEqual(card);
    },
  );

  it('gives up with a conflict after COMMAND_MAX_ATTEMPTS lost races, having written nothing', async () => {
    const store = withoutHolding(new InMemoryEventStore());
    let attempts = 0;
    store.appendToStream = async (streamId) => {
      attempts += 1;
      throw new WrongExpectedRevisionError(streamId, -1, 0);
    };
    const { publish } = pricingProcess(store, {}, undefined, { COMMAND_MAX_ATTEMPTS: '3' });
    await expect(publish([operation('render')])).rejects.toBeInstanceOf(
      RateCardPublishConflictError,
    );
    expect(attempts).toBe(3);
  });
});
