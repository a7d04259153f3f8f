import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { DEFAULT_RATE_CARD } from '../../src/pricing/rate-card/default-rate-card';
import { RATE_CARD_REFRESH_MS } from '../../src/pricing/cached-rate-cards';
import { operation } from './fixtures';
import { ManualMs, pricingProcess } from './support';

/** A store that counts the reads the cache makes. */
function countingStore() {
  const store = new InMemoryEventStore();
  const reads = { revisions: 0, events: 0, maxCounts: [] as Array<number | undefined> };
  const streamRevision = store.streamRevision.bind(store);
  const readStream = store.readStream.bind(store);
  store.streamRevision = (streamId) => {
    reads.revisions += 1;
    return streamRevision(streamId);
  };
  store.readStream = (streamId, options) => {
    reads.events += 1;
    reads.maxCounts.push(options?.maxCount);
    return readStream(streamId, options);
  };
  return { store, reads };
}

const card = (name: string) => [operation(name)];

describe('CachedRateCards (the RateCards port, from memory)', () => {
  it('serves the default card, version 0, until a card is published', async () => {
    const { store } = countingStore();
    const { cards } = pricingProcess(store);
    await expect(cards.current()).resolves.toBe(DEFAULT_RATE_CARD);
    await expect(cards.version(0)).resolves.toBe(DEFAULT_RATE_CARD);
    await expect(cards.version(1)).resolves.toBeNull();
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])
      await expect(cards.version(bad)).resolves.toBeNull();
  });

  it('uses a card this process published at once, whatever the refresh interval', async () => {
    const clock = new ManualMs();
    const a = pricingProcess(new InMemoryEventStore(), { nowMs: clock.now });
    await a.cards.current();
    const published = await a.publish(card('render'));
    expect(published.version).toBe(1);
    await expect(a.cards.current()).resolves.toBe(published);
  });

  it("sees another process's card once the refresh interval has passed, not before", async () => {
    const { store, reads } = countingStore();
    const clock = new ManualMs();
    const a = pricingProcess(store, { nowMs: clock.now });
    const b = pricingProcess(store, { nowMs: clock.now });
    expect((await b.cards.current()).version).toBe(0);
    await a.publish(card('render'));
    const before = reads.revisions;
    clock.ms += RATE_CARD_REFRESH_MS - 1;
    expect((await b.cards.current()).version).toBe(0);
    expect(reads.revisions).toBe(before); // within the interval: no I/O at all
    clock.ms += 1;
    expect((await b.cards.current()).version).toBe(1);
    // GET's look (newest) is immediate whatever the interval.
    await a.publish(card('render-2'));
    expect((await b.cards.newest()).version).toBe(2);
  });

  it('looks at the tail once for many concurrent callers, and reads one event when it moved', async () => {
    const { store, reads } = countingStore();
    const clock = new ManualMs();
    const a = pricingProcess(store, { nowMs: clock.now });
    const b = pricingProcess(store, { nowMs: clock.now });
    await a.publish(card('one'));
    await a.publish(card('two'));
    const before = { ...reads, maxCounts: [...reads.maxCounts] };
    const seen = await Promise.all(Array.from({ length: 50 }, () => b.cards.current()));
    expect(new Set(seen.map((item) => item.version))).toEqual(new Set([2]));
    expect(reads.revisions - before.revisions).toBe(1);
    expect(reads.events - before.events).toBe(1);
    expect(reads.maxCounts.at(-1)).toBe(1);
  });

  it('reads a version with one event, never a replay, then serves it from memory', async () => {
    const { store, reads } = countingStore();
    const a = pricingProcess(store);
    for (let index = 1; index <= 20; index++) await a.publish(card(`v${index}`));
    const b = pricingProcess(store);
    const before = reads.events;
    const third = await b.cards.version(3);
    expect(third?.operations[0].operationId).toBe('v3');
    expect(await b.cards.version(3)).toBe(third);
    expect(reads.events - before).toBe(1);
    expect(reads.maxCounts.at(-1)).toBe(1);
    await expect(b.cards.version(21)).resolves.toBeNull();
  });

  it('shares one read among concurrent look-ups of the same version', async () => {
    const { store, reads } = countingStore();
    const a = pricingProcess(store);
    for (let index = 1; index <= 3; index++) await a.publish(card(`v${index}`));
    const b = pricingProcess(store);
    const before = reads.events;
    const found = await Promise.all(Array.from({ length: 20 }, () => b.cards.version(2)));
    expect(new Set(found).size).toBe(1);
    expect(reads.events - before).toBe(1);
  });

  it('keeps at most maxCachedVersions older versions (least recently used dropped)', async () => {
    const { store, reads } = countingStore();
    const a = pricingProcess(store, { maxCachedVersions: 3 });
    for (let index = 1; index <= 10; index++) await a.publish(card(`v${index}`));
    for (let version = 1; version <= 9; version++) await a.cards.version(version);
    expect((a.cards as unknown as { older: { size: number } }).older.size).toBe(3);
    const before = reads.events;
    await a.cards.version(9); // recent: in memory
    await a.cards.version(10); // the newest: in memory
    expect(reads.events).toBe(before);
    await a.cards.version(1); // dropped: one read again
    expect(reads.events).toBe(before + 1);
  });

  it('adopts a newer version another process published when asked for it by number', async () => {
    const { store } = countingStore();
    const clock = new ManualMs();
    const a = pricingProcess(store, { nowMs: clock.now });
    const b = pricingProcess(store, { nowMs: clock.now });
    await b.cards.current();
    await a.publish(card('newer'));
    expect((await b.cards.version(1))?.version).toBe(1);
    expect((await b.cards.current()).version).toBe(1);
  });

  it('never goes back to an older card: a slow look at the tail that answers late', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualMs();
    const a = pricingProcess(store, { nowMs: clock.now });
    const b = pricingProcess(store, { nowMs: clock.now });
    await a.publish(card('one'));
    // b's look sees version 1 … and reads it only after b has adopted version 2.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const readStream = store.readStream.bind(store);
    store.readStream = async (streamId, options) => {
      const events = await readStream(streamId, options);
      if (options?.fromRevision === 0) await gate;
      return events;
    };
    const slow = b.cards.current();
    await a.publish(card('two'));
    const second = await b.cards.version(2);
    expect(second?.version).toBe(2);
    release();
    expect((await slow).version).toBe(2);
    await expect(b.cards.current()).resolves.toBe(second);
    // The older card is not lost either: it is one of the cached versions.
    expect((await b.cards.version(1))?.operations[0].operationId).toBe('one');
  });
});
