import {
  ClaimHeldElsewhereError,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
} from '../../../src/event-store/event-store.port';
import { jsonEvent, NO_STREAM } from '@eventstore/db-client';
import {
  CLAIM_EVENT_TYPE,
  EventStoreDbClaims,
  MAX_CLAIM_ROUNDS,
} from '../../../src/event-store/eventstoredb/eventstoredb-claims';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract } from '../event-store.contract';
import { newEvents } from '../support/event-store-kit';
import { FakeEventStoreDbServer } from './fake-server-client';

/**
 * The EventStoreDB adapter on an in-process stand-in for the server (fake-server-client.ts), so its
 * own logic — claims above all, which need two streams and a crash between them — runs on every
 * `npm test`. The same contract runs against a real server in eventstoredb.contract.spec.ts when
 * EVENTSTORE_CONNECTION_STRING is set.
 */
describeEventStoreContract(
  'eventstoredb adapter on an in-process fake server',
  async () => {
    const store = new EventStoreDbEventStore(new FakeEventStoreDbServer().client());
    return { store, teardown: () => store.close() };
  },
  { appendExclusive: false },
);

describe('EventStoreDB claims: a crash between the claim and the append', () => {
  let server: FakeEventStoreDbServer;
  let store: EventStoreDbEventStore;
  const claim = 'purchase-ref-stripe-pi_crash';

  /** The claim is written, then the process "dies" before its append reaches the server. */
  async function crashAfterClaim(streamId: string, expectedRevision: number) {
    const events = newEvents(2, 'CreditsPurchased');
    server.beforeAppend = (target) => {
      if (target === streamId) throw new Error('process died');
    };
    await expect(
      store.appendToStream(streamId, events, { expectedRevision, claim }),
    ).rejects.toThrow('process died');
    server.beforeAppend = undefined;
    expect(server.stream(claim).map((record) => record.type)).toEqual([CLAIM_EVENT_TYPE]);
    return events;
  }

  beforeEach(() => {
    server = new FakeEventStoreDbServer();
    store = new EventStoreDbEventStore(server.client());
  });

  it("records a new stream's expectation as 'no_stream', the form claim streams have always held", async () => {
    await crashAfterClaim('credits-a', NO_STREAM_REVISION);
    expect(server.stream(claim)[0].data).toMatchObject({
      holderStreamId: 'credits-a',
      expectedRevision: 'no_stream',
    });
  });

  it("lets the next claimer finish the dead process's append: the value stays the first account's, never both", async () => {
    const crashed = await crashAfterClaim('credits-a', NO_STREAM_REVISION);
    expect(await store.streamRevision('credits-a')).toBe(NO_STREAM_REVISION);

    const refused = await store
      .appendToStream('credits-b', newEvents(1), { expectedRevision: NO_STREAM_REVISION, claim })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClaimHeldElsewhereError);
    expect(refused).toMatchObject({ streamId: 'credits-b', holderStreamId: 'credits-a' });
    expect(await store.streamRevision('credits-b')).toBe(NO_STREAM_REVISION);
    // The append the claim recorded was written once, exactly as it was decided.
    expect((await store.readStream('credits-a')).map((event) => event.eventId)).toEqual(
      crashed.map((event) => event.eventId),
    );
  });

  it('lets the holder itself, retrying, complete its claim; its new append then meets the moved stream', async () => {
    await store.appendToStream('credits-a', newEvents(1), { expectedRevision: NO_STREAM_REVISION });
    const crashed = await crashAfterClaim('credits-a', 0);

    // The retry decided again on revision 0 (new event ids): the claim's own append lands first.
    await expect(
      store.appendToStream('credits-a', newEvents(2), { expectedRevision: 0, claim }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    const stream = await store.readStream('credits-a');
    expect(stream.slice(1).map((event) => event.eventId)).toEqual(
      crashed.map((event) => event.eventId),
    );
    // Reloaded, the holder sees its purchase and claims nothing more; others stay refused.
    await expect(
      store.appendToStream('credits-b', newEvents(1), {
        expectedRevision: NO_STREAM_REVISION,
        claim,
      }),
    ).rejects.toBeInstanceOf(ClaimHeldElsewhereError);
  });

  it('gives the value to the next claimer once the dead append can no longer happen', async () => {
    await store.appendToStream('credits-a', newEvents(1), { expectedRevision: NO_STREAM_REVISION });
    const crashed = await crashAfterClaim('credits-a', 0);
    // Another write to the account took revision 1, where the crashed append would have gone.
    await store.appendToStream('credits-a', newEvents(1), { expectedRevision: 0 });

    const won = newEvents(1);
    await store.appendToStream('credits-b', won, { expectedRevision: NO_STREAM_REVISION, claim });
    expect((await store.readStream('credits-b')).map((event) => event.eventId)).toEqual(
      won.map((event) => event.eventId),
    );
    const aIds = (await store.readStream('credits-a')).map((event) => event.eventId);
    expect(aIds).toHaveLength(2);
    for (const event of crashed) expect(aIds).not.toContain(event.eventId);
    // From now on the value is b's, for a as well.
    await expect(
      store.appendToStream('credits-a', newEvents(1), { expectedRevision: 1, claim }),
    ).rejects.toMatchObject({ holderStreamId: 'credits-b' });
    expect(server.stream(claim)).toHaveLength(2);
  });

  it('takes the value from a dead claim of a stream that never came to exist', async () => {
    await store.appendToStream('credits-a', newEvents(1), { expectedRevision: NO_STREAM_REVISION });
    // Recorded against revision 5 of a stream at 0: that append can never be written.
    server.beforeAppend = (target) => {
      if (target === 'credits-a') throw new Error('process died');
    };
    await expect(
      store.appendToStream('credits-a', newEvents(1), { expectedRevision: 5, claim }),
    ).rejects.toThrow('process died');
    server.beforeAppend = undefined;

    await store.appendToStream('credits-b', newEvents(1), {
      expectedRevision: NO_STREAM_REVISION,
      claim,
    });
    expect(await store.streamRevision('credits-a')).toBe(0);
    expect(
      (await new EventStoreDbClaims(server.client()).readClaim(claim))?.record.holderStreamId,
    ).toBe('credits-b');
  });

  it('counts a retried append of the same claim as the same claim', async () => {
    const events = newEvents(1);
    server.beforeAppend = (target) => {
      if (target === 'credits-a') throw new Error('connection lost');
    };
    await expect(
      store.appendToStream('credits-a', events, { expectedRevision: NO_STREAM_REVISION, claim }),
    ).rejects.toThrow('connection lost');
    server.beforeAppend = undefined;
    await store.appendToStream('credits-a', events, {
      expectedRevision: NO_STREAM_REVISION,
      claim,
    });
    expect(server.stream(claim)).toHaveLength(1);
    expect((await store.readStream('credits-a')).map((event) => event.eventId)).toEqual([
      events[0].eventId,
    ]);
  });

  it('refuses a claim that would name a system stream', async () => {
    await expect(
      store.appendToStream('credits-a', newEvents(1), {
        expectedRevision: NO_STREAM_REVISION,
        claim: '$settings',
      }),
    ).rejects.toThrow(TypeError);
    expect(await store.streamRevision('credits-a')).toBe(NO_STREAM_REVISION);
  });

  it('gives up as a lost race (WrongExpectedRevisionError) when other claimers win every round, writing nothing to the account', async () => {
    const client = server.client();
    let rounds = 0;
    server.beforeAppend = async (target) => {
      if (target !== claim) return;
      rounds += 1;
      // Just before each of our writes, another claimer records an append that can never happen.
      server.beforeAppend = undefined;
      const held = await new EventStoreDbClaims(client).readClaim(claim);
      const record = { holderStreamId: 'credits-ghost', expectedRevision: 5, events: newEvents(1) };
      await client.appendToStream(claim, [jsonEvent({ type: CLAIM_EVENT_TYPE, data: record })], {
        expectedRevision: held ? BigInt(held.revision) : NO_STREAM,
      });
      server.beforeAppend = interfere;
    };
    const interfere = server.beforeAppend;
    await expect(
      store.appendToStream('credits-a', newEvents(1), {
        expectedRevision: NO_STREAM_REVISION,
        claim,
      }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(rounds).toBe(MAX_CLAIM_ROUNDS);
    expect(await store.streamRevision('credits-a')).toBe(NO_STREAM_REVISION);
    // Once the others stop, the value is free to take (their records are dead).
    server.beforeAppend = undefined;
    await store.appendToStream('credits-a', newEvents(1), {
      expectedRevision: NO_STREAM_REVISION,
      claim,
    });
  });
});
