import type { GlobalPosition } from '../../src/event-store/event-store.port';
import { positionKey, type ProjectorSource, type SourceBatch } from './projector-source';

/** How far (in batches) the fastest consumer may run ahead of the slowest: bounds the memory held. */
export const DEFAULT_MAX_BATCHES_AHEAD = 4;

interface Entry {
  after: GlobalPosition | null;
  batch: Promise<SourceBatch>;
  /** Consumers that have not taken this batch yet; the entry is dropped when none is left. */
  pending: Set<SharedConsumer>;
}

/**
 * One read of the log for several projectors replaying it side by side (`ledger rebuild` of every
 * projection). Each projector keeps its own checkpoint, lock and transactions and reads through
 * its own consumer (`consumer()`); when it asks for the batch after the position another consumer
 * already asked for, it is handed the same batch (the same RecordedEvent objects, parsed once)
 * instead of reading and parsing it again.
 *
 * The batches form one chain: each starts after the position the previous one ended at. A read
 * anywhere else (a checkpoint reset under a projector, or a batch asked for again after a failed
 * apply) goes to that consumer's own source, uncached, so sharing never changes what a projector
 * sees. The fastest consumer waits when it is `maxBatchesAhead` batches in front of the slowest;
 * a closed consumer no longer holds anyone back.
 */
export class SharedLogReader {
  private readonly entries = new Map<string, Entry>();
  private readonly consumers = new Set<SharedConsumer>();
  /** Where the next batch of the chain starts (undefined: nothing read yet). */
  private chainNext: { after: GlobalPosition | null } | undefined;
  private roomWaiters: Array<() => void> = [];
  /** Consumers share batches of the size the first one asked for (the others read on their own). */
  private batchSize: number | null = null;
  /** Chain reads in flight (close waits for them: they use the caller's pool). */
  private readonly reading = new Set<Promise<SourceBatch>>();
  private closed = false;

  constructor(
    /** Reads the chain (one reader at a time asks it for the next batch). */
    private readonly chainSource: ProjectorSource,
    /** A consumer's own source, for its reads off the chain. */
    private readonly ownSource: () => ProjectorSource,
    private readonly maxBatchesAhead = DEFAULT_MAX_BATCHES_AHEAD,
  ) {}

  /** A source for one projector. Create every consumer before any of them reads. */
  consumer(): ProjectorSource {
    const consumer = new SharedConsumer(this, this.ownSource);
    this.consumers.add(consumer);
    return consumer;
  }

  /** Stops reading ahead, lets reads in flight end, closes the chain source (consumers close their own). */
  async close(): Promise<void> {
    this.closed = true;
    // A consumer never closed (its projector failed to start) must not keep a read waiting for room.
    for (const consumer of [...this.consumers]) this.leave(consumer);
    while (this.reading.size > 0) await Promise.allSettled([...this.reading]);
    await this.chainSource.close();
  }

  estimateTotal(): Promise<number | null> {
    return this.chainSource.estimateTotal
      ? this.chainSource.estimateTotal()
      : Promise.resolve(null);
  }

  wake(): void {
    this.chainSource.wake();
  }

  /** The shared batch after `after`, or null when the consumer must read on its own. */
  take(
    consumer: SharedConsumer,
    after: GlobalPosition | null,
    maxCount: number,
    waitMs: number,
  ): Promise<SourceBatch> | null {
    if (this.batchSize !== null && this.batchSize !== maxCount) return null;
    this.batchSize = maxCount;
    const key = positionKey(after);
    const entry = this.entries.get(key);
    if (entry) {
      // Asked again after being handed it (a failed apply): a fresh read, as a lone source would do.
      if (!entry.pending.has(consumer)) return null;
      this.handOver(entry, key, consumer);
      return entry.batch;
    }
    if (this.chainNext !== undefined && positionKey(this.chainNext.after) !== key) {
      // Off the chain (its checkpoint moved): it must not hold the others back while it catches up.
      this.forget(consumer);
      return null;
    }
    return this.startEntry(after, maxCount, waitMs, consumer).batch;
  }

  /** The consumer is closed: it takes nothing more. */
  leave(consumer: SharedConsumer): void {
    this.consumers.delete(consumer);
    this.forget(consumer);
  }

  /**
   * Reads the next batch of the chain, for every consumer but `reader` (the one asking; none for a
   * read-ahead). Once it arrives, the batch after it is read ahead at once (room permitting): the
   * log is read while the projections apply, not in turn with them.
   */
  private startEntry(
    after: GlobalPosition | null,
    maxCount: number,
    waitMs: number,
    reader: SharedConsumer | null,
  ): Entry {
    const key = positionKey(after);
    const pending = new Set([...this.consumers].filter((consumer) => consumer !== reader));
    const entry: Entry = { after, pending, batch: Promise.resolve({ events: [], position: null }) };
    this.chainNext = { after };
    entry.batch = (async () => {
      await this.roomFor(entry);
      return this.chainSource.read(after, maxCount, waitMs);
    })();
    this.entries.set(key, entry);
    this.reading.add(entry.batch);
    entry.batch.then(
      (batch) => {
        this.reading.delete(entry.batch);
        if (batch.position === null) {
          // Nothing there yet: the next ask must look again, not be handed this empty batch.
          this.drop(key, entry);
          return;
        }
        this.chainNext = { after: batch.position };
        if (
          !this.closed &&
          this.consumers.size > 0 &&
          !this.entries.has(positionKey(batch.position))
        ) {
          this.startEntry(batch.position, maxCount, 0, null);
        }
      },
      () => {
        this.reading.delete(entry.batch);
        this.drop(key, entry); // A failed read is read again by whoever asks next.
      },
    );
    if (pending.size === 0) this.drop(key, entry);
    return entry;
  }

  private handOver(entry: Entry, key: string, consumer: SharedConsumer): void {
    entry.pending.delete(consumer);
    if (entry.pending.size === 0) this.drop(key, entry);
  }

  private forget(consumer: SharedConsumer): void {
    for (const [key, entry] of [...this.entries]) {
      if (entry.pending.has(consumer)) this.handOver(entry, key, consumer);
    }
  }

  private drop(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Waits while `maxBatchesAhead` older batches are still to be taken by someone. */
  private async roomFor(entry: Entry): Promise<void> {
    const older = () => [...this.entries.values()].filter((other) => other !== entry).length;
    while (older() >= this.maxBatchesAhead) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }
}

/** One projector's view of a SharedLogReader. */
class SharedConsumer implements ProjectorSource {
  private own: ProjectorSource | null = null;
  private closed = false;

  constructor(
    private readonly reader: SharedLogReader,
    private readonly ownSource: () => ProjectorSource,
  ) {}

  read(after: GlobalPosition | null, maxCount: number, waitMs: number): Promise<SourceBatch> {
    if (this.closed) throw new Error('shared log consumer is closed');
    const shared = this.reader.take(this, after, maxCount, waitMs);
    if (shared) return shared;
    this.own ??= this.ownSource();
    return this.own.read(after, maxCount, waitMs);
  }

  wake(): void {
    this.reader.wake();
    this.own?.wake();
  }

  estimateTotal(): Promise<number | null> {
    return this.reader.estimateTotal();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reader.leave(this);
    await this.own?.close();
  }
}
