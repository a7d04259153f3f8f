import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import { LiveLogTail } from '../../projections/runtime/live-tail';
import type { ProjectorSource, SourceBatch } from '../../projections/runtime/projector-source';
import { appendFakeEvents } from '../support/fake-log';
import { WakeableSleep } from '../../projections/runtime/wake-sleep';

/** An in-memory log: positions are the events' indexes as strings; counts the reads it serves. */
class FakeLog {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  ownSources = 0;
  ownReads = 0;

  append(count: number): void {
    appendFakeEvents(this.events, count);
  }

  /** Like PollingProjectorSource: looks, and when nothing is there waits `waitMs` and looks again. */
  source(counted: 'chain' | 'own'): ProjectorSource {
    const idle = new WakeableSleep();
    const readOnce = (after: GlobalPosition | null, maxCount: number): SourceBatch => {
      if (counted === 'chain') this.reads += 1;
      else this.ownReads += 1;
      const from = after === null ? 0 : Number(after) + 1;
      const events = this.events.slice(from, from + maxCount);
      return { events, position: events.at(-1)?.position ?? null };
    };
    return {
      read: async (after, maxCount, waitMs) => {
        await Promise.resolve(); // a read is never synchronous
        const first = readOnce(after, maxCount);
        if (first.position !== null || waitMs <= 0) return first;
        await idle.sleep(waitMs);
        return readOnce(after, maxCount);
      },
      wake: () => idle.wake(),
      close: () => {
        idle.cancel();
        return Promise.resolve();
      },
    };
  }

  tail(limits: { maxHeldBatches?: number; maxHeldEvents?: number } = {}): LiveLogTail {
    return new LiveLogTail(
      this.source('chain'),
      () => {
        this.ownSources += 1;
        return this.source('own');
      },
      { compare: (a, b) => Number(a) - Number(b), ...limits },
    );
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Follower {
  /** Event ids applied, in order. */
  applied: string[];
  batches: number;
  position: GlobalPosition | null;
  stop(): Promise<void>;
}

/**
 * Reads through `source` the way Projector.project() does: the next batch after the last applied
 * position, an idle wait growing from 2 to idleMaxMs, and an `apply` that may fail (then the same
 * position is asked again after a pause, as the projector's backoff does).
 */
function follow(
  source: ProjectorSource,
  options: {
    batchSize?: number;
    idleMaxMs?: number;
    apply?: (batch: SourceBatch) => Promise<void>;
  } = {},
): Follower {
  const { batchSize = 10, idleMaxMs = 20 } = options;
  let stopped = false;
  const follower: Follower = {
    applied: [],
    batches: 0,
    position: null,
    stop: async () => {
      stopped = true;
      source.wake();
      await running;
      await source.close();
    },
  };
  const running = (async () => {
    let waitMs = 0;
    while (!stopped) {
      const batch = await source.read(follower.position, batchSize, waitMs);
      if (batch.position === null) {
        waitMs = waitMs === 0 ? 2 : Math.min(idleMaxMs, waitMs * 2);
        continue;
      }
      expect(batch.events.length).toBeLessThanOrEqual(batchSize);
      try {
        await options.apply?.(batch);
      } catch {
        await sleep(5);
        continue;
      }
      follower.applied.push(...batch.events.map((event) => event.eventId));
      follower.batches += 1;
      follower.position = batch.position;
      waitMs = batch.events.length >= batchSize ? 0 : 2;
    }
  })();
  return follower;
}

const ids = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `e${from + i}`);

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(2);
  }
}

describe('LiveLogTail (the live projectors of one process)', () => {
  it('serves several live readers from one read of the log, handing the same objects', async () => {
    const log = new FakeLog();
    log.append(95);
    const tail = log.tail();
    const handed: SourceBatch[][] = [[], [], []];
    const followers = handed.map((batches) =>
      follow(tail.consumer(), { apply: async (batch) => void batches.push(batch) }),
    );
    await until(() => followers.every((follower) => follower.applied.length === 95));
    for (let round = 0; round < 5; round++) {
      log.append(7);
      await until(() =>
        followers.every((follower) => follower.applied.length === log.events.length),
      );
    }
    for (const follower of followers) expect(follower.applied).toEqual(ids(0, 130));
    // One read per batch of the chain (plus the looks that found nothing), not one per reader.
    expect(log.ownSources).toBe(0);
    expect(log.reads).toBeLessThan(45);
    expect(handed[1][3].events[0]).toBe(handed[0][3].events[0]);
    await Promise.all(followers.map((follower) => follower.stop()));
    await tail.close();
  });

  it('with nothing new, polls the log about once per idle interval for all readers, and wake() looks at once', async () => {
    const log = new FakeLog();
    log.append(5);
    const tail = log.tail();
    const followers = Array.from({ length: 9 }, () => follow(tail.consumer(), { idleMaxMs: 250 }));
    await until(() => followers.every((follower) => follower.applied.length === 5));
    await sleep(600); // every reader has reached its longest idle wait
    const reads = log.reads;
    await sleep(1_000);
    // ≈ 4 looks; nine lone sources would look twice per wait each: ≈ 72.
    expect(log.reads - reads).toBeLessThanOrEqual(8);
    expect(log.reads - reads).toBeGreaterThanOrEqual(3);
    log.append(1);
    const woken = Date.now();
    tail.consumer().wake(); // what a `?after=` read does through one projector
    await until(() => followers.every((follower) => follower.applied.length === 6));
    expect(Date.now() - woken).toBeLessThan(150); // not at the next idle look, up to 250 ms away
    await Promise.all(followers.map((follower) => follower.stop()));
    await tail.close();
  });

  it('joins held batches up to the batch size for a reader behind: its transactions do not shrink', async () => {
    const log = new FakeLog();
    const tail = log.tail();
    const fast = tail.consumer();
    const slow = tail.consumer();
    log.append(3);
    const [firstFast, firstSlow] = await Promise.all([
      fast.read(null, 50, 0),
      slow.read(null, 20, 0),
    ]);
    expect(firstSlow.events).toEqual(firstFast.events);
    let after = firstFast.position;
    for (let i = 0; i < 9; i++) {
      log.append(3);
      const batch = await fast.read(after, 50, 0);
      expect(batch.events).toHaveLength(3);
      after = batch.position;
    }
    const reads = log.reads;
    const joined = await slow.read(firstSlow.position, 20, 0);
    expect(joined.events.map((event) => event.eventId)).toEqual(ids(3, 23));
    expect(joined.position).toBe('22'); // cut inside a held batch: the rest follows
    const rest = await slow.read(joined.position, 20, 0);
    expect(rest.events.map((event) => event.eventId)).toEqual(ids(23, 30));
    expect(log.reads).toBe(reads); // all of it held, nothing read again
    expect(log.ownSources).toBe(0);
    await tail.close();
  });

  it('a reader whose apply keeps failing does not hold the others back, and holds nothing', async () => {
    const log = new FakeLog();
    log.append(20);
    const tail = log.tail({ maxHeldBatches: 8 });
    let failing = true;
    const poisoned = follow(tail.consumer(), {
      apply: async () => {
        if (failing) throw new Error('poison batch');
      },
    });
    const others = [follow(tail.consumer()), follow(tail.consumer())];
    for (let round = 0; round < 20; round++) {
      log.append(5);
      await sleep(3);
      expect(tail.heldBatches).toBeLessThanOrEqual(8);
    }
    await until(() => others.every((other) => other.applied.length === 120));
    expect(poisoned.applied).toEqual([]);
    expect(log.ownReads).toBeGreaterThan(0); // its retries are reads of its own
    failing = false;
    await until(() => poisoned.applied.length === 120);
    expect(poisoned.applied).toEqual(ids(0, 120));
    for (const other of others) expect(other.applied).toEqual(ids(0, 120));
    await Promise.all([poisoned, ...others].map((follower) => follower.stop()));
    await tail.close();
  });

  it('a lone active reader (the others standby) reads each batch once through the chain', async () => {
    const log = new FakeLog();
    log.append(30);
    const tail = log.tail();
    const active = tail.consumer();
    tail.consumer(); // standby
    let after: GlobalPosition | null = null;
    for (const expected of [ids(0, 10), ids(10, 20), ids(20, 30)]) {
      const batch = await active.read(after, 10, 0);
      expect(batch.events.map((event) => event.eventId)).toEqual(expected);
      after = batch.position;
    }
    expect((await active.read(after, 10, 0)).position).toBeNull();
    expect(log.reads).toBe(4);
    expect(log.ownSources).toBe(0);
    await tail.close();
  });

  it('a standby reader that never reads holds no one back and keeps nothing held', async () => {
    const log = new FakeLog();
    const tail = log.tail();
    tail.consumer(); // its projector is standby: another process holds the lock
    const active = [follow(tail.consumer()), follow(tail.consumer())];
    for (let round = 0; round < 10; round++) {
      log.append(12);
      await until(() => active.every((follower) => follower.applied.length === log.events.length));
    }
    for (const follower of active) expect(follower.applied).toEqual(ids(0, 120));
    expect(tail.heldBatches).toBe(0);
    expect(log.ownSources).toBe(0);
    await Promise.all(active.map((follower) => follower.stop()));
    await tail.close();
  });

  it('keeps the held batches within the limit: a reader too far behind reads on its own, gets every event once in order, and rejoins', async () => {
    const log = new FakeLog();
    const tail = log.tail({ maxHeldBatches: 4, maxHeldEvents: 1_000 });
    const fast = follow(tail.consumer());
    let paused = true;
    let slowBatches = 0;
    const slow = follow(tail.consumer(), {
      apply: async () => {
        slowBatches += 1;
        while (paused && slowBatches > 1) await sleep(2); // a slow apply: it stops taking batches
      },
    });
    log.append(10);
    await until(() => fast.applied.length === 10 && slowBatches === 1);
    for (let round = 0; round < 20; round++) {
      log.append(6);
      await until(() => fast.applied.length === log.events.length);
      expect(tail.heldBatches).toBeLessThanOrEqual(4);
    }
    // Never a wait: the fast one went on while the slow one held its batch.
    expect(tail.laggardsDropped).toBeGreaterThanOrEqual(1);
    paused = false;
    await until(() => slow.applied.length === 130);
    expect(slow.applied).toEqual(ids(0, 130));
    expect(log.ownReads).toBeGreaterThan(0);
    // Caught up: it is back on the chain, its own source reads no more.
    const ownReads = log.ownReads;
    for (let round = 0; round < 5; round++) {
      log.append(4);
      await until(() => [fast, slow].every((f) => f.applied.length === log.events.length));
    }
    expect(log.ownReads).toBeLessThanOrEqual(ownReads + 1);
    expect(slow.applied).toEqual(ids(0, 150));
    expect(fast.applied).toEqual(ids(0, 150));
    await Promise.all([fast, slow].map((follower) => follower.stop()));
    await tail.close();
  });

  it('sends a reader whose checkpoint moved (a rebuild reset) to its own reads, and the others on', async () => {
    const log = new FakeLog();
    log.append(30);
    const tail = log.tail();
    const a = tail.consumer();
    const b = tail.consumer();
    const first = await Promise.all([a.read(null, 10, 0), b.read(null, 10, 0)]);
    expect(first[1].events[0]).toBe(first[0].events[0]);
    await Promise.all([a.read('9', 10, 0), b.read('9', 10, 0)]);
    const reads = log.reads;
    const reset = await b.read(null, 10, 0); // its checkpoint is back at the start: its own read
    expect(reset.events.map((event) => event.eventId)).toEqual(ids(0, 10));
    expect(reset.events).not.toBe(first[0].events);
    expect(log.ownSources).toBe(1);
    expect((await a.read('19', 10, 0)).events.map((event) => event.eventId)).toEqual(ids(20, 30));
    expect(log.reads).toBe(reads + 1); // a goes on with the chain
    await Promise.all([a.close(), b.close()]);
    await tail.close();
  });
});
