import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import type {
  EventStoreDbSubscriptionOptions,
  SubscriptionDrop,
  SubscriptionMessage,
} from '../../src/event-store/eventstoredb';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import type { ProjectorSource, SourceBatch } from './projector-source';
import { WakeableSleep } from './wake-sleep';

/** What the adapter needs of EventStoreDbSubscriptionSource (a fake in tests). */
export interface StartableSubscription {
  start(): void;
  stop(): Promise<void>;
}

export type SubscriptionFactory = (
  options: EventStoreDbSubscriptionOptions,
) => StartableSubscription;

export interface EventStoreDbProjectorSourceOptions {
  /** The streams to project. Default: the ledger's (`credits-`). */
  streamPrefix?: string;
  /** Messages buffered ahead of the projector before the subscription waits. Default 1024. */
  bufferSize?: number;
  onDrop?: (drop: SubscriptionDrop) => void;
}

/**
 * The projector's source on EventStoreDB: the catch-up subscription (server-side `credits-`
 * filter, checkpoints, resubscription with backoff) turned into the pull interface the projector
 * uses. The subscription's handler only buffers; the projector takes batches from the buffer and
 * commits them with their checkpoint. Whenever the projector asks from a position other than the
 * end of what it was last handed (a batch failed and rolled back, or a rebuild reset the
 * checkpoint), the subscription is restarted from that position, so nothing is skipped.
 */
export class EventStoreDbProjectorSource implements ProjectorSource {
  private current: BufferedSubscription | null = null;
  private readonly streamPrefix: string;
  private readonly bufferSize: number;

  constructor(
    private readonly subscribe: SubscriptionFactory,
    private readonly options: EventStoreDbProjectorSourceOptions = {},
  ) {
    this.streamPrefix = options.streamPrefix ?? STREAM_PREFIX;
    this.bufferSize = options.bufferSize ?? 1024;
  }

  async read(after: GlobalPosition | null, maxCount: number, waitMs: number): Promise<SourceBatch> {
    if (!this.current || this.current.next !== after) {
      await this.current?.stop();
      this.current = new BufferedSubscription(
        this.subscribe,
        { from: after, streamPrefix: this.streamPrefix },
        this.bufferSize,
        this.options.onDrop,
      );
    }
    return this.current.take(maxCount, waitMs);
  }

  wake(): void {
    this.current?.wake();
  }

  async close(): Promise<void> {
    await this.current?.stop();
    this.current = null;
  }
}

class BufferedSubscription {
  /** The position the consumer will read after next if it commits what it was handed. */
  next: GlobalPosition | null;
  private readonly buffer: SubscriptionMessage[] = [];
  private readonly arrival = new WakeableSleep();
  private roomWaiters: Array<() => void> = [];
  private stopped = false;
  private readonly subscription: StartableSubscription;

  constructor(
    subscribe: SubscriptionFactory,
    { from, streamPrefix }: { from: GlobalPosition | null; streamPrefix: string },
    private readonly bufferSize: number,
    onDrop?: (drop: SubscriptionDrop) => void,
  ) {
    this.next = from;
    this.subscription = subscribe({
      from,
      streamPrefix,
      handler: (message) => this.push(message),
      onDrop,
    });
    this.subscription.start();
  }

  async take(maxCount: number, waitMs: number): Promise<SourceBatch> {
    if (this.buffer.length === 0 && waitMs > 0) await this.arrival.sleep(waitMs);
    const events: RecordedEvent[] = [];
    let position: GlobalPosition | null = null;
    while (this.buffer.length > 0) {
      const message = this.buffer[0];
      if (message.kind === 'event') {
        if (events.length >= maxCount) break;
        events.push(message.event);
        position = message.event.position;
      } else {
        position = message.position;
      }
      this.buffer.shift();
    }
    if (position !== null) this.next = position;
    this.releaseRoom();
    return { events, position };
  }

  wake(): void {
    this.arrival.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.arrival.cancel();
    // The subscription marks itself stopped first, so the handler released below ends quietly.
    const stopping = this.subscription.stop();
    this.releaseRoom();
    await stopping;
  }

  /** The subscription's handler: awaited by the subscription, so a full buffer holds it back. */
  private async push(message: SubscriptionMessage): Promise<void> {
    while (this.buffer.length >= this.bufferSize && !this.stopped) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    if (this.stopped) throw new Error('projector source stopped');
    this.buffer.push(message);
    this.arrival.wake();
  }

  private releaseRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
