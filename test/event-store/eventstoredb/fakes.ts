import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { StreamNotFoundError, UnavailableError } from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Position,
  SubscribeToAllOptions,
} from '@eventstore/db-client';

/** Test doubles for db-client objects, so everything but the wire can be tested without a server. */

export function position(commit: number, prepare = commit): Position {
  return { commit: BigInt(commit), prepare: BigInt(prepare) };
}

export function resolvedEvent(
  streamId: string,
  revision: number,
  commit: number,
  overrides: Partial<AllStreamRecordedEvent> = {},
): AllStreamResolvedEvent {
  const event = {
    streamId,
    id: randomUUID(),
    isJson: true,
    revision: BigInt(revision),
    type: 'CreditsGranted',
    created: new Date('2026-01-01T00:00:00.000Z'),
    data: { credits: revision + 1 },
    metadata: { correlationId: `c-${revision}` },
    position: position(commit),
    ...overrides,
  } as AllStreamRecordedEvent;
  return { event, commitPosition: event.position?.commit };
}

export type FakeRead = Readable & { cancel: jest.Mock<Promise<void>, []> };

/** A finished read (like ReadStream): the items, then the end or an error. */
export function fakeRead(items: unknown[], error?: Error): FakeRead {
  const read = new Readable({ objectMode: true, read() {} });
  for (const item of items) read.push(item);
  if (error) setImmediate(() => read.destroy(error));
  else read.push(null);
  return Object.assign(read, { cancel: jest.fn(async () => void read.destroy()) });
}

/** A live subscription the test drives: push events, reach checkpoints, drop it. */
export class FakeSubscription extends PassThrough {
  readonly unsubscribe = jest.fn(async () => {
    this.unsubscribed = true;
    this.end();
  });
  unsubscribed = false;

  constructor(readonly options: SubscribeToAllOptions) {
    super({ objectMode: true });
  }

  get from(): string {
    const from = this.options.fromPosition;
    return from === undefined || typeof from === 'string'
      ? String(from ?? 'start')
      : `${from.commit}/${from.prepare}`;
  }

  /** Like db-client: the checkpoint callback is awaited before any later record is processed. */
  async checkpoint(at: Position): Promise<void> {
    await this.options.filter?.checkpointReached?.(this, at);
  }

  fail(error: Error = new Error('connection reset')): void {
    this.destroy(error);
  }
}

export class FakeSubscribeClient {
  readonly subscriptions: FakeSubscription[] = [];
  private readonly waiters: Array<() => void> = [];

  subscribeToAll = (options: SubscribeToAllOptions = {}): AllStreamSubscription => {
    const subscription = new FakeSubscription(options);
    this.subscriptions.push(subscription);
    this.waiters.splice(0).forEach((wake) => wake());
    return subscription;
  };

  /** Resolves with the n-th subscription (1-based) once it has been opened. */
  async nth(n: number): Promise<FakeSubscription> {
    while (this.subscriptions.length < n)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.subscriptions[n - 1];
  }
}

/** Resolves once `condition` holds, polling the event loop; fails the test after `ms`. */
export async function eventually(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export interface StreamReadCall {
  direction: string;
  fromRevision: bigint | string;
  maxCount: number;
  returned: number;
}

/**
 * `readStream` over one stream's records, with the server's range semantics: a backwards read
 * from revision r returns the revisions in [r - maxCount + 1, r] that exist, newest first (so a
 * read from past the end can come back empty); END starts at the last event. Revisions missing
 * from `records` behave as truncated. No records: the stream does not exist.
 */
export class FakeStreamClient {
  readonly calls: StreamReadCall[] = [];

  constructor(
    private readonly records: AllStreamResolvedEvent[],
    private readonly failAfterCalls = Infinity,
  ) {}

  get eventsRead(): number {
    return this.calls.reduce((sum, call) => sum + call.returned, 0);
  }

  readStream = (
    streamId: string,
    options: { direction: string; fromRevision: bigint | string; maxCount?: number },
  ): FakeRead => {
    if (this.calls.length >= this.failAfterCalls)
      return fakeRead([], new UnavailableError(undefined, 'connection reset'));
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const own = this.records.filter((record) => record.event!.streamId === streamId);
    if (own.length === 0) {
      this.calls.push({ ...options, maxCount, returned: 0 });
      return fakeRead([], new StreamNotFoundError(undefined, streamId));
    }
    const revisionOf = (record: AllStreamResolvedEvent) => record.event!.revision;
    const last = own.reduce(
      (max, record) => (revisionOf(record) > max ? revisionOf(record) : max),
      -1n,
    );
    let page: AllStreamResolvedEvent[];
    if (options.direction === 'backwards') {
      const top = options.fromRevision === 'end' ? last : (options.fromRevision as bigint);
      const bottom = top - BigInt(maxCount) + 1n;
      page = own
        .filter((record) => revisionOf(record) <= top && revisionOf(record) >= bottom)
        .reverse();
    } else {
      const from = options.fromRevision === 'start' ? 0n : (options.fromRevision as bigint);
      page = own.filter((record) => revisionOf(record) >= from).slice(0, maxCount);
    }
    this.calls.push({ ...options, maxCount, returned: page.length });
    return fakeRead(page);
  };
}
