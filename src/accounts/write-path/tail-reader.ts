import {
  EventStoreSaturatedError,
  MAX_STREAM_TAILS_PER_READ,
  type EventStore,
  type RecordedEvent,
  type StreamRevision,
} from '../../event-store/event-store.port';

export interface TailReaderOptions {
  /** Grouped reads running at once (each holds one pooled connection while it runs). */
  maxInFlight: number;
  /** Events of one stream a grouped read returns; a longer tail is finished by a read of its own. */
  maxEventsPerStream: number;
  /** Reads waiting for a group before new ones are refused. */
  maxQueued: number;
}

export const DEFAULT_TAIL_READER: TailReaderOptions = {
  maxInFlight: 2,
  maxEventsPerStream: 100,
  maxQueued: 50_000,
};

interface PendingTail {
  streamId: string;
  fromRevision: StreamRevision;
  resolve(events: RecordedEvent[]): void;
  reject(error: unknown): void;
}

/**
 * Brings cached states up to date in groups: the tail reads that arrive while earlier groups are
 * in flight wait and go together in the next one, one `readStreamTails` (one query on
 * PostgreSQL) for all of them — the group committer's rule, for reads. At low load a group holds
 * one read and nothing waits; under load, the strongly consistent balance, check and quote reads
 * of many accounts share one round trip instead of one query each. A stream appears at most once
 * per group (the store refuses repeats): a second read of it waits for the next group.
 */
export class TailReader {
  private readonly queue: PendingTail[] = [];
  private inFlight = 0;

  constructor(
    private readonly eventStore: EventStore,
    private readonly options: TailReaderOptions = DEFAULT_TAIL_READER,
  ) {}

  /** The stream's events from `fromRevision` on, all of them. */
  read(streamId: string, fromRevision: StreamRevision): Promise<RecordedEvent[]> {
    if (this.queue.length >= this.options.maxQueued)
      // The store is not keeping up: refused like an append the group committer cannot queue.
      return Promise.reject(new EventStoreSaturatedError(this.options.maxQueued));
    return new Promise<RecordedEvent[]>((resolve, reject) => {
      this.queue.push({ streamId, fromRevision, resolve, reject });
      this.pump();
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.takeGroup();
      this.inFlight += 1;
      void this.readGroup(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting reads, each stream once, at most MAX_STREAM_TAILS_PER_READ. */
  private takeGroup(): PendingTail[] {
    const group: PendingTail[] = [];
    const streams = new Set<string>();
    let index = 0;
    while (index < this.queue.length && group.length < MAX_STREAM_TAILS_PER_READ) {
      const pending = this.queue[index];
      if (streams.has(pending.streamId)) {
        index += 1;
        continue;
      }
      streams.add(pending.streamId);
      group.push(pending);
      this.queue.splice(index, 1);
    }
    return group;
  }

  private async readGroup(group: PendingTail[]): Promise<void> {
    const { maxEventsPerStream } = this.options;
    let tails: RecordedEvent[][];
    try {
      tails = await this.eventStore.readStreamTails(
        group.map(({ streamId, fromRevision }) => ({ streamId, fromRevision })),
        maxEventsPerStream,
      );
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    }
    await Promise.all(
      group.map(async (pending, index) => {
        const tail = tails[index];
        try {
          // A full page may have more behind it: the rest in a read of its own (rare: another
          // process wrote that much to this account since this one last looked).
          const rest =
            tail.length < maxEventsPerStream
              ? []
              : await this.eventStore.readStream(pending.streamId, {
                  fromRevision: pending.fromRevision + tail.length,
                });
          pending.resolve(rest.length === 0 ? tail : tail.concat(rest));
        } catch (error) {
          pending.reject(error);
        }
      }),
    );
  }
}
