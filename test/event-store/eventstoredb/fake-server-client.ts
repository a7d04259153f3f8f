import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import { fakeRead } from './fakes';

interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  created: Date;
  position: Position;
}

interface ReadOptions {
  direction?: 'forwards' | 'backwards';
  fromRevision?: bigint | 'start' | 'end';
  fromPosition?: Position | 'start' | 'end';
  maxCount?: number | bigint;
}

/**
 * A single EventStoreDB node in memory, speaking the subset of db-client the adapter uses
 * (appendToStream, readStream, readAll, dispose), with the server's rules as the adapter relies on
 * them: expected revisions (WrongExpectedVersionError), an identical retried append acknowledged
 * without writing twice, StreamNotFoundError on reading a missing stream, one commit-ordered $all.
 * It lets the adapter's own logic (claims above all) run through the contract suite where no real
 * server is available; the gated suite against a real server stays the reference.
 *
 * `beforeAppend` lets a test interleave other writes, or fail an append (a crash), at the exact
 * moment a stream is about to be written.
 */
export class FakeEventStoreDbServer {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  beforeAppend?: (streamId: string, events: readonly EventData[]) => void | Promise<void>;

  client(): EventStoreDBClient {
    return {
      appendToStream: (
        streamId: string,
        events: EventData | EventData[],
        options: { expectedRevision?: AppendExpectedRevision } = {},
      ) =>
        this.append(
          streamId,
          Array.isArray(events) ? events : [events],
          options.expectedRevision ?? 'any',
        ),
      readStream: (streamId: string, options: ReadOptions = {}) =>
        this.readStream(streamId, options),
      readAll: (options: ReadOptions = {}) => this.readAll(options),
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
  }

  /** The records of a stream as stored (for assertions). */
  stream(streamId: string): readonly StoredRecord[] {
    return this.streams.get(streamId) ?? [];
  }

  private async append(streamId: string, events: EventData[], expected: AppendExpectedRevision) {
    await this.beforeAppend?.(streamId, events);
    const stream = this.streams.get(streamId) ?? [];
    const current: bigint | 'no_stream' =
      stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    // The server's idempotency check: the same ids already at the positions the expectation names
    // (for 'any': wherever the first id is).
    const first =
      expected === 'no_stream'
        ? 0
        : typeof expected === 'bigint'
          ? Number(expected) + 1
          : expected === 'any'
            ? stream.findIndex((record) => record.id === events[0]?.id)
            : -1;
    if (
      first >= 0 &&
      first < stream.length &&
      events.every((event, index) => stream[first + index]?.id === event.id)
    ) {
      const last = stream[first + events.length - 1];
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    }
    const matches =
      expected === 'any' ||
      expected === current ||
      (expected === 'stream_exists' && current !== 'no_stream');
    if (!matches)
      throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected, current });
    const created = new Date();
    for (const event of events) {
      const commit = BigInt(this.log.length + 1) * 100n;
      const record: StoredRecord = {
        streamId,
        id: event.id,
        revision: BigInt(stream.length),
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)),
        metadata: event.metadata,
        created,
        position: { commit, prepare: commit },
      };
      stream.push(record);
      this.log.push(record);
    }
    this.streams.set(streamId, stream);
    const last = stream.at(-1)!;
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  private readStream(streamId: string, options: ReadOptions) {
    const stream = this.streams.get(streamId);
    if (!stream || stream.length === 0)
      return fakeRead([], new StreamNotFoundError(undefined, streamId));
    const backwards = options.direction === 'backwards';
    const from =
      options.fromRevision === undefined || options.fromRevision === 'start'
        ? backwards
          ? stream.length - 1
          : 0
        : options.fromRevision === 'end'
          ? backwards
            ? stream.length - 1
            : stream.length
          : Number(options.fromRevision);
    const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
    const picked = backwards
      ? stream
          .slice(0, from + 1)
          .reverse()
          .slice(0, max)
      : stream.slice(from, from + max);
    return fakeRead(picked.map((record) => ({ event: copy(record) })));
  }

  private readAll(options: ReadOptions) {
    const from = options.fromPosition;
    const start =
      from === undefined || from === 'start'
        ? 0
        : from === 'end'
          ? this.log.length
          : this.log.findIndex((record) => record.position.commit >= from.commit);
    const max = options.maxCount === undefined ? Infinity : Number(options.maxCount);
    const picked = start < 0 ? [] : this.log.slice(start, start + max);
    return fakeRead(
      picked.map((record) => ({ event: copy(record), commitPosition: record.position.commit })),
    );
  }
}

function copy(record: StoredRecord) {
  return {
    ...record,
    data: structuredClone(record.data),
    isJson: true,
    created: new Date(record.created),
  };
}
