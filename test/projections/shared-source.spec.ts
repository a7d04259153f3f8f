import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import type { ProjectorSource, SourceBatch } from '../../projections/runtime/projector-source';
import { appendFakeEvents } from '../support/fake-log';
import { SharedLogReader } from '../../projections/runtime/shared-source';

/** An in-memory log: positions are the events' indexes as strings; counts the reads it serves. */
class FakeLog {
  readonly events: RecordedEvent[] = [];
  reads = 0;

  append(count: number): void {
    appendFakeEvents(this.events, count);
  }

  source(): ProjectorSource & { closed: boolean } {
    return {
      closed: false,
      read: async (after: GlobalPosition | null, maxCount: number): Promise<SourceBatch> => {
        this.reads += 1;
        const from = after === null ? 0 : Number(after) + 1;
        const events = this.events.slice(from, from + maxCount);
        return { events, position: events.at(-1)?.position ?? null };
      },
      wake: () => undefined,
      async close() {
        this.closed = true;
      },
    };
  }
}

/** Reads through `source` from the start to the end of the log, `delay` between batches; returns the batches. */
async function readAll(
  source: ProjectorSource,
  batchSize: number,
  delay: () => Promise<void> = async () => undefined,
): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  let after: GlobalPosition | null = null;
  for (;;) {
    const batch = await source.read(after, batchSize, 0);
    if (batch.position === null) return batches;
    batches.push(batch);
    after = batch.position;
    await delay();
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SharedLogReader', () => {
  it('hands every consumer the batches a lone source would, reading each from the log once', async () => {
    const log = new FakeLog();
    log.append(95);
    const lone = await readAll(log.source(), 10);
    log.reads = 0;
    const reader = new SharedLogReader(log.source(), () => log.source());
    const consumers = [reader.consumer(), reader.consumer(), reader.consumer()];
    // Different speeds: the fast one waits for the slow ones only when far ahead.
    const results = await Promise.all(
      consumers.map((consumer, index) =>
        readAll(consumer, 10, async () => {
          for (let i = 0; i < index * 3; i++) await tick();
        }),
      ),
    );
    expect(lone).toHaveLength(10);
    for (const batches of results) expect(batches).toEqual(lone);
    // The very same objects (parsed once), not copies.
    expect(results[1][3].events).toBe(results[0][3].events);
    // 10 batches, plus empty reads at the end: the read-ahead's, and at most one per consumer.
    expect(log.reads).toBeLessThanOrEqual(10 + 1 + 3);
  });

  it('reads the next batch ahead while the projectors apply the current one, and stops at close', async () => {
    const log = new FakeLog();
    log.append(25);
    const reader = new SharedLogReader(log.source(), () => log.source());
    const a = reader.consumer();
    reader.consumer();
    await a.read(null, 10, 0);
    for (let i = 0; i < 10; i++) await tick();
    expect(log.reads).toBe(4); // batches 0, 1 and 2 (5 events), then the empty read after them
    const reads = log.reads;
    const second = a.read('9', 10, 0);
    expect((await second).events[0].eventId).toBe('e10');
    expect(log.reads).toBe(reads); // already there
    expect((await a.read('19', 10, 0)).events).toHaveLength(5);
    await reader.close();
    log.append(20);
    expect((await a.read('24', 10, 0)).events).toHaveLength(10);
    for (let i = 0; i < 10; i++) await tick();
    expect(log.reads).toBe(reads + 1); // on demand only: nothing read ahead after close
  });

  it('keeps the fastest consumer at most maxBatchesAhead batches in front; a closed consumer holds no one back', async () => {
    const log = new FakeLog();
    log.append(100);
    const reader = new SharedLogReader(log.source(), () => log.source(), 2);
    const fast = reader.consumer();
    const slow = reader.consumer();
    let fastBatches = 0;
    const fastDone = readAll(fast, 10, async () => void (fastBatches += 1));
    for (let i = 0; i < 50; i++) await tick();
    // Two batches waiting for the slow consumer, the third read waits for room.
    expect(fastBatches).toBe(2);
    const first = await slow.read(null, 10, 0);
    expect(first.events[0].eventId).toBe('e0');
    for (let i = 0; i < 50; i++) await tick();
    expect(fastBatches).toBe(3);
    await slow.close();
    expect(await fastDone).toHaveLength(10);
  });

  it('closes even when a consumer was never closed and a read ahead waits for room', async () => {
    const log = new FakeLog();
    log.append(30);
    const reader = new SharedLogReader(log.source(), () => log.source(), 1);
    const a = reader.consumer();
    reader.consumer(); // its projector never started: never reads, never closed
    await a.read(null, 10, 0);
    for (let i = 0; i < 10; i++) await tick();
    expect(log.reads).toBe(1); // the read ahead waits for the batch the other one has not taken
    await reader.close();
    expect(log.reads).toBe(2); // it ran once room was made, and close waited for it
  });

  it("sends a read off the chain (a reset checkpoint) to the consumer's own source, without holding the others", async () => {
    const log = new FakeLog();
    log.append(60);
    const own: Array<ProjectorSource & { closed: boolean }> = [];
    const reader = new SharedLogReader(
      log.source(),
      () => {
        const source = log.source();
        own.push(source);
        return source;
      },
      1,
    );
    const a = reader.consumer();
    const b = reader.consumer();
    await a.read(null, 10, 0);
    await b.read(null, 10, 0);
    const second = await a.read('9', 10, 0);
    // b goes back to the start: its own source serves it, and a is not held back by the batch b skipped.
    const again = await b.read(null, 10, 0);
    expect(again.events.map((event) => event.eventId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `e${i}`),
    );
    expect(own).toHaveLength(1);
    const third = await a.read(second.position, 10, 0);
    expect(third.events[0].eventId).toBe('e20');
    await b.close();
    expect(own[0].closed).toBe(true);
  });

  it('reads a batch again (fresh) for a consumer that asks for it twice, e.g. after a failed apply', async () => {
    const log = new FakeLog();
    log.append(30);
    const reader = new SharedLogReader(log.source(), () => log.source());
    const a = reader.consumer();
    reader.consumer(); // never reads: keeps the first batch cached
    const first = await a.read(null, 10, 0);
    const retried = await a.read(null, 10, 0);
    expect(retried.events.map((event) => event.eventId)).toEqual(
      first.events.map((event) => event.eventId),
    );
    expect(retried.events).not.toBe(first.events);
  });

  it('does not keep an empty batch: the next ask looks at the log again', async () => {
    const log = new FakeLog();
    const reader = new SharedLogReader(log.source(), () => log.source());
    const a = reader.consumer();
    const b = reader.consumer();
    expect((await a.read(null, 10, 0)).position).toBeNull();
    log.append(3);
    expect((await b.read(null, 10, 0)).events).toHaveLength(3);
    expect((await a.read(null, 10, 0)).events).toHaveLength(3);
  });
});
