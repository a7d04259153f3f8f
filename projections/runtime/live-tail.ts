import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import { positionKey, type ProjectorSource, type SourceBatch } from './projector-source';
import { TailPoller } from './tail-poller';

/** Held batches are bounded by both: batches (some carry no event, only a moved position) and events. */
export const DEFAULT_LIVE_TAIL_LIMITS = { maxHeldBatches: 256, maxHeldEvents: 5_000 };

export interface LiveLogTailOptions {
  /** The event store's order of positions (`EventStore.comparePositions`): to place a reader rejoining. */
  compare(a: GlobalPosition, b: GlobalPosition): number;
  maxHeldBatches?: number;
  maxHeldEvents?: number;
  /** A reader fell off the chain at the limits (a metric: it reads on its own now). */
  onDrop?: () => void;
}

interface HeldBatch {
  after: GlobalPosition | null;
  position: GlobalPosition;
  events: RecordedEvent[];
}

/** Where a reader continues: batch `seq` (held[seq - firstSeq], or the next one to read), from `offset`. */
interface Place {
  seq: number;
  offset: number;
}

const NOTHING: SourceBatch = { events: [], position: null };

/**
 * One read of the log for the live projectors of a process (`npm start` runs nine). Whoever has
 * caught up asks the poller for what is new after the head of the chain; each batch it reads is
 * held until every projector on the chain has taken it, and a projector behind is handed the held
 * batches after its checkpoint, joined up to its batch size (so a slow projector still applies
 * big batches, as with its own reads). Same objects for all: each event is read and parsed once.
 *
 * Unlike SharedLogReader (`ledger rebuild`, where waiting for the slowest is right), this never
 * makes anyone wait for anyone and never reads ahead: a projector that is slow, failing (asks for a
 * batch again), standby (never asks), stopped, reset or too far behind (its batches were dropped
 * at the limits) reads on its own through its own source, and rejoins once its checkpoint falls
 * within the held batches again. The limits bound the memory; a drop is counted, never waited on.
 */
export class LiveLogTail {
  private held: HeldBatch[] = [];
  private firstSeq = 0;
  private heldEvents = 0;
  /** The position the chain continues after (undefined: no one has asked yet). */
  private head: { after: GlobalPosition | null } | undefined;
  /** Bumped when the chain moves elsewhere: a poll started before must not be appended. */
  private generation = 0;
  private readonly consumers = new Set<LiveConsumer>();
  private readonly poller: TailPoller;
  private readonly limits: { maxHeldBatches: number; maxHeldEvents: number };
  private closed = false;
  /** Readers dropped to their own reads because the limits were hit (a metric: never a wait). */
  laggardsDropped = 0;
  /** Reads the chain made (tests count them). */
  chainReads = 0;

  constructor(
    private readonly chainSource: ProjectorSource,
    private readonly ownSource: () => ProjectorSource,
    private readonly options: LiveLogTailOptions,
  ) {
    this.limits = {
      maxHeldBatches: options.maxHeldBatches ?? DEFAULT_LIVE_TAIL_LIMITS.maxHeldBatches,
      maxHeldEvents: options.maxHeldEvents ?? DEFAULT_LIVE_TAIL_LIMITS.maxHeldEvents,
    };
    this.poller = new TailPoller((maxCount) => this.readChain(maxCount));
  }

  /** A source for one live projector. */
  consumer(): ProjectorSource {
    const consumer = new LiveConsumer(this, this.ownSource);
    this.consumers.add(consumer);
    return consumer;
  }

  get heldBatches(): number {
    return this.held.length;
  }

  /** A reader needs a fresh look at the log (a `?after=` read waits): poll now. */
  wake(): void {
    this.poller.wake();
  }

  /** After the projectors stopped: ends the waits and the polls, closes the chain source. */
  async close(): Promise<void> {
    this.closed = true;
    for (const consumer of [...this.consumers]) this.leave(consumer);
    await this.poller.close();
    await this.chainSource.close();
  }

  /** The batch for `consumer` after `after`, or null: it reads this one on its own. */
  async take(
    consumer: LiveConsumer,
    after: GlobalPosition | null,
    maxCount: number,
    waitMs: number,
  ): Promise<SourceBatch | null> {
    if (this.closed) return null;
    // Asked again for what it was handed: its apply failed. A fresh read of its own, as a lone
    // source would do, and it holds nothing while it retries.
    if (consumer.handedAfter !== undefined && consumer.handedAfter === positionKey(after)) {
      return this.offChain(consumer);
    }
    consumer.handedAfter = undefined;
    const deadline = Date.now() + Math.max(0, waitMs);
    let waited = false;
    for (;;) {
      const place = this.placeOf(consumer, after);
      if (place === 'behind' || (place === 'ahead' && waited)) return this.offChain(consumer);
      if (place !== 'ahead' && place.seq < this.nextSeq) {
        const batch = this.hand(consumer, place, maxCount);
        consumer.handedAfter = positionKey(after);
        return batch;
      }
      // Caught up (or just past the chain's head): wait for the next read of the chain.
      if (place !== 'ahead')
        consumer.next = { key: positionKey(after), seq: this.nextSeq, offset: 0 };
      this.track(consumer, this.nextSeq);
      waited = true;
      const generation = this.generation;
      const appended = await this.poller.next(maxCount, Math.max(0, deadline - Date.now()));
      if (this.closed) return null;
      if (!appended && generation === this.generation) return NOTHING;
    }
  }

  /** The consumer is closed: it holds nothing more. */
  leave(consumer: LiveConsumer): void {
    this.consumers.delete(consumer);
    this.untrack(consumer);
  }

  private get nextSeq(): number {
    return this.firstSeq + this.held.length;
  }

  private offChain(consumer: LiveConsumer): null {
    this.untrack(consumer);
    return null;
  }

  private placeOf(
    consumer: LiveConsumer,
    after: GlobalPosition | null,
  ): Place | 'behind' | 'ahead' {
    const key = positionKey(after);
    const next = consumer.next;
    if (next && next.key === key && next.seq >= this.firstSeq) return next;
    if (this.head && positionKey(this.head.after) === key) return { seq: this.nextSeq, offset: 0 };
    if (!this.head || !this.othersTracked(consumer)) {
      // No one else is on the chain: it starts again where this reader is.
      this.rebase(after);
      return { seq: this.nextSeq, offset: 0 };
    }
    return this.search(after, this.head.after);
  }

  /** Places a position the reader was not handed (it read on its own, or its checkpoint moved). */
  private search(
    after: GlobalPosition | null,
    head: GlobalPosition | null,
  ): Place | 'behind' | 'ahead' {
    const compare = (a: GlobalPosition, b: GlobalPosition) => this.options.compare(a, b);
    if (after === null)
      return this.held[0]?.after === null ? { seq: this.firstSeq, offset: 0 } : 'behind';
    if (head === null || compare(after, head) > 0) return 'ahead';
    const lowest = this.held[0]?.after ?? head;
    if (lowest !== null && compare(after, lowest) < 0) return 'behind';
    // The first held batch that ends past `after`; its events after `after` are all there is in between.
    const index = firstIndex(this.held.length, (i) => compare(this.held[i].position, after) > 0);
    if (index === this.held.length) return { seq: this.nextSeq, offset: 0 };
    const events = this.held[index].events;
    const offset = firstIndex(events.length, (i) => compare(events[i].position, after) > 0);
    return { seq: this.firstSeq + index, offset };
  }

  /** Held events from `place` on, whole batches joined (the last one cut) up to maxCount. */
  private hand(consumer: LiveConsumer, place: Place, maxCount: number): SourceBatch {
    const events: RecordedEvent[] = [];
    let { seq, offset } = place;
    let position: GlobalPosition | null = null;
    while (seq < this.nextSeq) {
      const batch = this.held[seq - this.firstSeq];
      const room = maxCount - events.length;
      if (batch.events.length - offset > room) {
        if (room === 0) break;
        for (let i = offset; i < offset + room; i++) events.push(batch.events[i]);
        offset += room;
        position = batch.events[offset - 1].position;
        break;
      }
      for (let i = offset; i < batch.events.length; i++) events.push(batch.events[i]);
      position = batch.position;
      seq += 1;
      offset = 0;
    }
    consumer.next = { key: positionKey(position), seq, offset };
    this.track(consumer, seq);
    return { events, position };
  }

  private async readChain(maxCount: number): Promise<boolean> {
    const head = this.head;
    if (!head || this.closed) return false;
    const generation = this.generation;
    this.chainReads += 1;
    const batch = await this.chainSource.read(head.after, maxCount, 0);
    if (generation !== this.generation || this.closed || batch.position === null) return false;
    this.held.push({ after: head.after, position: batch.position, events: batch.events });
    this.heldEvents += batch.events.length;
    this.head = { after: batch.position };
    this.trim();
    return true;
  }

  private rebase(after: GlobalPosition | null): void {
    this.generation += 1;
    this.firstSeq = this.nextSeq;
    this.held = [];
    this.heldEvents = 0;
    this.head = { after };
  }

  private track(consumer: LiveConsumer, seq: number): void {
    consumer.need = seq;
    this.trim();
  }

  private untrack(consumer: LiveConsumer): void {
    consumer.need = null;
    consumer.next = null;
    this.trim();
  }

  private othersTracked(consumer: LiveConsumer): boolean {
    for (const other of this.consumers) if (other !== consumer && other.need !== null) return true;
    return false;
  }

  /** Drops the oldest batches beyond the limits (their readers fall off the chain), then what no reader needs. */
  private trim(): void {
    const { maxHeldBatches, maxHeldEvents } = this.limits;
    while (this.held.length > maxHeldBatches || this.heldEvents > maxHeldEvents) this.dropOldest();
    let need = this.nextSeq;
    for (const consumer of this.consumers) {
      if (consumer.need === null) continue;
      if (consumer.need < this.firstSeq) {
        this.laggardsDropped += 1;
        this.options.onDrop?.();
        consumer.need = null;
        consumer.next = null;
      } else need = Math.min(need, consumer.need);
    }
    while (this.firstSeq < need) this.dropOldest();
  }

  private dropOldest(): void {
    const dropped = this.held.shift()!;
    this.heldEvents -= dropped.events.length;
    this.firstSeq += 1;
  }
}

/** One projector's view of a LiveLogTail. */
class LiveConsumer implements ProjectorSource {
  /** The first batch it still needs (null: not on the chain, holds nothing). */
  need: number | null = null;
  /** Where its next read continues when it asks from the position it was last handed. */
  next: (Place & { key: string }) | null = null;
  /** The position it last asked from and was handed a batch (a second ask: its apply failed). */
  handedAfter: string | undefined;
  private own: ProjectorSource | null = null;
  private closed = false;

  constructor(
    private readonly tail: LiveLogTail,
    private readonly ownSource: () => ProjectorSource,
  ) {}

  async read(after: GlobalPosition | null, maxCount: number, waitMs: number): Promise<SourceBatch> {
    if (this.closed) throw new Error('live log consumer is closed');
    const shared = await this.tail.take(this, after, maxCount, waitMs);
    if (shared) return shared;
    this.own ??= this.ownSource();
    return this.own.read(after, maxCount, waitMs);
  }

  wake(): void {
    this.tail.wake();
    this.own?.wake();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tail.leave(this);
    await this.own?.close();
  }
}

/** The first index in [0, length) where `past` holds (it holds for all after it); length if none. */
function firstIndex(length: number, past: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (past(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
