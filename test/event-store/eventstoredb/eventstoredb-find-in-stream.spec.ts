import type { EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../../../src/event-store/event-store.port';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import {
  findInStreamBackwards,
  type FindPaging,
  type StreamReadingClient,
} from '../../../src/event-store/eventstoredb/eventstoredb-find-in-stream';
import { FakeStreamClient, resolvedEvent } from './fakes';

const STREAM = 'credits-long';

/** A stream of `length` events: noise, with the given events of one spend at their revisions. */
function longStream(
  length: number,
  spend: Record<number, 'CreditsSpent' | 'CreditsRefunded'>,
  from = 0,
) {
  return Array.from({ length: length - from }, (_, index) => {
    const revision = from + index;
    const type = spend[revision];
    const data = type
      ? { spendId: 'the-spend', credits: 1 }
      : { spendId: `other-${revision % 97}`, credits: 1 };
    return resolvedEvent(STREAM, revision, 1000 + revision, { type: type ?? 'CreditsSpent', data });
  });
}

const PAGING: FindPaging = { firstPageEvents: 16, maxPageEvents: 128 };

function find(
  client: FakeStreamClient,
  throughRevision: number,
  firstMatchType?: string,
  paging = PAGING,
) {
  return findInStreamBackwards(
    client as unknown as StreamReadingClient,
    STREAM,
    { dataField: 'spendId', equals: 'the-spend', throughRevision, firstMatchType },
    paging,
  );
}

const revisions = (events: { revision: number }[]) => events.map((event) => event.revision);

describe('findInStream on EventStoreDB: backwards pages (fake client)', () => {
  const spend = {
    9_000: 'CreditsSpent',
    9_500: 'CreditsRefunded',
    9_990: 'CreditsRefunded',
  } as const;

  it('stops at the first match type: reads the distance back to it plus at most one page, not the stream', async () => {
    const client = new FakeStreamClient(longStream(10_000, spend));
    const found = await find(client, 9_999, 'CreditsSpent');

    expect(revisions(found)).toEqual([9_000, 9_500, 9_990]);
    expect(found.map((event) => event.type)).toEqual([
      'CreditsSpent',
      'CreditsRefunded',
      'CreditsRefunded',
    ]);
    const distance = 9_999 - 9_000 + 1;
    expect(client.eventsRead).toBeLessThanOrEqual(1 + distance + PAGING.maxPageEvents); // 1: the tail read
    // Pages double from the first size up to the bound, each one below the last.
    expect(client.calls.map((call) => call.maxCount)).toEqual([
      1,
      16,
      32,
      64,
      ...Array(7).fill(128),
    ]);
    expect(client.calls[1]).toMatchObject({ direction: 'backwards', fromRevision: 9_999n });
    expect(client.calls[2]).toMatchObject({ fromRevision: 9_983n });
  });

  it('reads back to revision 0 without a first match type, with the same answer', async () => {
    const client = new FakeStreamClient(
      longStream(2_000, { 1_000: 'CreditsSpent', 1_500: 'CreditsRefunded' }),
    );
    expect(revisions(await find(client, 1_999))).toEqual([1_000, 1_500]);
    expect(client.eventsRead).toBe(1 + 2_000);
    expect(
      client.calls.every((call) => call.maxCount <= PAGING.maxPageEvents || call.returned === 1),
    ).toBe(true);
  });

  it('reads the whole stream when nothing matches, and says so with an empty answer', async () => {
    const client = new FakeStreamClient(longStream(500, {}));
    expect(await find(client, 499, 'CreditsSpent')).toEqual([]);
    expect(client.eventsRead).toBe(1 + 500);
  });

  it('ignores events after throughRevision', async () => {
    const client = new FakeStreamClient(longStream(10_000, spend));
    expect(revisions(await find(client, 9_500, 'CreditsSpent'))).toEqual([9_000, 9_500]);
    expect(client.calls[1]).toMatchObject({ fromRevision: 9_500n });
  });

  it('starts at the last event when throughRevision is past the end (a read from there would be empty)', async () => {
    const client = new FakeStreamClient(
      longStream(300, { 10: 'CreditsSpent', 299: 'CreditsRefunded' }),
    );
    expect(revisions(await find(client, 1_000_000, 'CreditsSpent'))).toEqual([10, 299]);
    expect(client.calls[1]).toMatchObject({ fromRevision: 299n });
  });

  it('does not stop at an event of the first match type that does not match', async () => {
    // Every noise event is a CreditsSpent of another spend.
    const client = new FakeStreamClient(
      longStream(400, { 3: 'CreditsSpent', 399: 'CreditsRefunded' }),
    );
    expect(revisions(await find(client, 399, 'CreditsSpent'))).toEqual([3, 399]);
  });

  it('finds a match in the first revision, with pages that end exactly at 0', async () => {
    const client = new FakeStreamClient(longStream(16 + 32, { 0: 'CreditsSpent' }));
    expect(revisions(await find(client, 47, 'CreditsSpent'))).toEqual([0]);
    expect(client.calls.map((call) => [call.fromRevision, call.maxCount])).toEqual([
      ['end', 1],
      [47n, 16],
      [31n, 32],
    ]);
  });

  it('reads a missing stream as empty, in one read', async () => {
    const client = new FakeStreamClient([]);
    expect(await find(client, 10, 'CreditsSpent')).toEqual([]);
    expect(client.calls).toHaveLength(1);
  });

  it('stops where a truncated stream ends instead of paging down to 0', async () => {
    const client = new FakeStreamClient(longStream(10_000, { 9_990: 'CreditsRefunded' }, 9_900));
    expect(revisions(await find(client, 9_999, 'CreditsSpent'))).toEqual([9_990]);
    expect(client.calls.length).toBeLessThan(10);
  });

  it('maps a failed page to EventStoreUnavailableError', async () => {
    const client = new FakeStreamClient(longStream(1_000, {}), 2);
    await expect(find(client, 999, 'CreditsSpent')).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });

  it('is what the adapter does, after validating the query', async () => {
    const client = new FakeStreamClient(longStream(10_000, spend));
    const store = new EventStoreDbEventStore(client as unknown as EventStoreDBClient);
    const query = {
      dataField: 'spendId',
      equals: 'the-spend',
      throughRevision: 9_999,
      firstMatchType: 'CreditsSpent',
    };
    expect(revisions(await store.findInStream(STREAM, query))).toEqual([9_000, 9_500, 9_990]);
    expect(client.eventsRead).toBeLessThan(2 * (9_999 - 9_000 + 1));
    await expect(store.findInStream(STREAM, { ...query, firstMatchType: '' })).rejects.toThrow(
      TypeError,
    );
  });
});
