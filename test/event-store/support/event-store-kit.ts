import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
  type StreamRevision,
} from '../../../src/event-store/event-store.port';

/** A stream-id prefix no other test (or earlier run against a shared server) uses. */
export function uniquePrefix(label: string): string {
  return `t${randomUUID().slice(0, 8)}-${label}-`;
}

export function newEvent(
  type = 'Tested',
  data: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { correlationId: randomUUID(), ...metadata },
  };
}

export function newEvents(count: number, type = 'Tested'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

/** Appends one event so that its position marks "now" in the global log. */
export async function markPosition(store: EventStore, prefix: string): Promise<GlobalPosition> {
  return (
    await store.appendToStream(`${prefix}marker-${randomUUID()}`, [newEvent('Marker')], {
      expectedRevision: NO_STREAM_REVISION,
    })
  ).position;
}

export async function expectConflict(
  attempt: Promise<unknown>,
  expected: { streamId: string; expected: ExpectedRevision; actual: StreamRevision },
): Promise<void> {
  const error = await attempt.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const conflict = error as WrongExpectedRevisionError;
  expect({
    streamId: conflict.streamId,
    expected: conflict.expected,
    actual: conflict.actual,
  }).toEqual(expected);
}

/**
 * A reader of the global log the way a projector reads it: pages from its checkpoint, and the
 * checkpoint moves to each page's lastPosition. Checks as it goes that positions only increase.
 */
export class LogReader {
  readonly seen: RecordedEvent[] = [];
  pages = 0;

  constructor(
    private readonly store: EventStore,
    public checkpoint: GlobalPosition | null,
    private readonly options: { streamPrefix?: string; pageSize?: () => number } = {},
  ) {}

  /** Reads until the store reports nothing more (lastPosition null). */
  async catchUp(): Promise<RecordedEvent[]> {
    const before = this.seen.length;
    for (;;) {
      const page = await this.store.readAll({
        after: this.checkpoint,
        maxCount: this.options.pageSize?.() ?? 50,
        streamPrefix: this.options.streamPrefix,
      });
      this.pages++;
      if (page.lastPosition === null) {
        expect(page.events).toEqual([]);
        return this.seen.slice(before);
      }
      // Every page makes progress, and positions only ever increase.
      const start = this.checkpoint;
      let previous = start;
      for (const event of page.events) {
        if (previous !== null)
          expect(this.store.comparePositions(event.position, previous)).toBeGreaterThan(0);
        previous = event.position;
        this.seen.push(event);
      }
      if (previous !== null)
        expect(this.store.comparePositions(page.lastPosition, previous)).toBeGreaterThanOrEqual(0);
      if (start !== null)
        expect(this.store.comparePositions(page.lastPosition, start)).toBeGreaterThan(0);
      this.checkpoint = page.lastPosition;
    }
  }

  /**
   * Catches up repeatedly until `done` holds. Visibility may lag a commit (PostgreSQL waits for
   * every older transaction in the cluster to finish), so a reader polls, as the projector does.
   */
  async pollUntil(
    done: (seen: RecordedEvent[]) => boolean,
    timeoutMs = 15_000,
  ): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.catchUp();
      if (done(this.seen)) return this.seen;
      if (Date.now() > deadline)
        throw new Error(
          `reader saw ${this.seen.length} events and gave up waiting after ${timeoutMs} ms`,
        );
      await sleep(20);
    }
  }

  seenIds(prefix?: string): string[] {
    return this.seen
      .filter((event) => prefix === undefined || event.streamId.startsWith(prefix))
      .map((event) => event.eventId);
  }
}

/** Polls until every id in `ids` was seen; returns the reader's events under `prefix`. */
export async function readUntilSeen(
  reader: LogReader,
  ids: Iterable<string>,
  prefix: string,
): Promise<RecordedEvent[]> {
  const wanted = new Set(ids);
  await reader.pollUntil((seen) => {
    const got = new Set(seen.map((event) => event.eventId));
    return [...wanted].every((id) => got.has(id));
  });
  return reader.seen.filter((event) => event.streamId.startsWith(prefix));
}

/** Every stream's events appear in revision order 0, 1, 2, … (the global order agrees with it). */
export function expectStreamOrder(events: RecordedEvent[]): void {
  const next = new Map<string, number>();
  for (const event of events) {
    expect({ stream: event.streamId, revision: event.revision }).toEqual({
      stream: event.streamId,
      revision: next.get(event.streamId) ?? 0,
    });
    next.set(event.streamId, event.revision + 1);
  }
}

export function expectNoDuplicates(events: RecordedEvent[]): void {
  const ids = events.map((event) => event.eventId);
  expect(new Set(ids).size).toBe(ids.length);
}

export function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
