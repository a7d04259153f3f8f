import {
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import type { GlobalPosition, RecordedEvent } from '../event-store.port';
import {
  compareEsdbPositions,
  decodePosition,
  encodePosition,
  toRecordedEvent,
} from './eventstoredb-translation';

/**
 * What the projector is handed, strictly in log order. A `checkpoint` carries no event: the
 * server scanned up to there and nothing else matched, so the projector can store it as its
 * checkpoint and never rescan those records.
 */
export type SubscriptionMessage =
  { kind: 'event'; event: RecordedEvent } | { kind: 'checkpoint'; position: GlobalPosition };

export interface SubscriptionDrop {
  error: unknown;
  /** Consecutive drops without progress (1 for the first). */
  attempt: number;
  delayMs: number;
  /** The position the next subscription starts after (the last handled one). */
  resumeFrom: GlobalPosition | null;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface EventStoreDbSubscriptionOptions {
  /** The stored checkpoint (exclusive); null = from the start of the log. */
  from: GlobalPosition | null;
  /**
   * Called once per message, awaited, never concurrently. The position advances only when it
   * resolves; if it throws, the subscription is dropped and resumes after the last message that
   * was handled, so an effect that did not commit is retried and one that did is not repeated
   * (provided the handler commits its effect and the checkpoint together).
   */
  handler: (message: SubscriptionMessage) => Promise<void>;
  /**
   * Only streams whose id starts with this (the ledger's `credits-`): given by the caller, since
   * the adapter knows nothing of what the streams hold.
   */
  streamPrefix: string;
  /** Checkpoint every `checkpointInterval` server search windows (32 records each). Default 1. */
  checkpointInterval?: number;
  /** Delay before resubscribing: doubles per drop without progress, capped. Default 100 ms … 10 s. */
  backoff?: BackoffOptions;
  /** Told about every drop, for the log line; the source resubscribes by itself. */
  onDrop?: (drop: SubscriptionDrop) => void;
  /** Events buffered ahead of the handler before the subscription is paused. Default 256. */
  maxBuffered?: number;
  /** For tests: how to wait between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

export type SubscribeToAllClient = Pick<EventStoreDBClient, 'subscribeToAll'>;

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000 };

/** Exponential, bounded: initial, 2×, 4×, … up to max. No jitter: there is one projector. */
export function backoffDelay(attempt: number, backoff: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

interface Outcome {
  error: unknown;
  progressed: boolean;
}

/**
 * The projector's source on EventStoreDB: a catch-up subscription to $all, filtered on the
 * server to one stream prefix, that outlives dropped connections.
 */
export class EventStoreDbSubscriptionSource {
  private readonly prefix: string;
  private readonly backoff: BackoffOptions;
  private readonly maxBuffered: number;
  private lastPosition: Position | null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private endCurrent: ((error: unknown) => void) | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly client: SubscribeToAllClient,
    private readonly options: EventStoreDbSubscriptionOptions,
  ) {
    this.prefix = options.streamPrefix;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.maxBuffered = options.maxBuffered ?? 256;
    this.lastPosition = options.from === null ? null : decodePosition(options.from);
  }

  /** The last position handed to the handler and handled (or the starting checkpoint). */
  get position(): GlobalPosition | null {
    return this.lastPosition === null ? null : encodePosition(this.lastPosition);
  }

  start(): void {
    if (this.running) throw new Error('subscription source already started');
    this.running = this.run();
  }

  /** Ends the subscription; resolves once a handler call in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.endCurrent?.(null);
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const outcome = await this.subscribeOnce();
      if (this.stopped) return;
      attempt = outcome.progressed ? 1 : attempt + 1;
      const delayMs = backoffDelay(attempt, this.backoff);
      this.options.onDrop?.({ error: outcome.error, attempt, delayMs, resumeFrom: this.position });
      await this.pause(delayMs);
    }
  }

  /** One subscription, from the last handled position until it drops (or stop()). */
  private subscribeOnce(): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      let progressed = false;
      let queued = 0;
      // Every message runs on this one chain, so the handler sees log order and never overlaps.
      let chain: Promise<void> = Promise.resolve();
      let subscription: AllStreamSubscription | null = null;

      const end = (error: unknown): void => {
        if (settled) return;
        settled = true;
        this.endCurrent = null;
        subscription?.unsubscribe().catch(() => undefined);
        // Resolve only after the handler in flight settles, so lastPosition is final.
        void chain.then(() => resolve({ error, progressed }));
      };

      const enqueue = (work: () => Promise<void>): Promise<void> => {
        queued += 1;
        if (queued >= this.maxBuffered) subscription?.pause(); // back-pressure down to gRPC
        chain = chain.then(async () => {
          try {
            if (settled) return; // dropped: the next subscription delivers it again
            await work();
            progressed = true;
          } catch (error) {
            end(error);
          } finally {
            queued -= 1;
            if (!settled && queued < this.maxBuffered / 2 && subscription?.isPaused())
              subscription.resume();
          }
        });
        return chain;
      };

      // db-client awaits this callback before the next record, but events it already pushed may
      // still sit unread in the stream's buffer: handing the checkpoint over now would let the
      // projector store a position past events it has not applied. Wait until they are queued.
      const checkpointReached = async (
        _: AllStreamSubscription,
        position: Position,
      ): Promise<void> => {
        while (!settled && subscription && subscription.readableLength > 0) {
          if (subscription.isPaused()) {
            await chain;
            subscription.resume();
          }
          await new Promise<void>((next) => setImmediate(next));
        }
        if (!settled) await enqueue(() => this.handleCheckpoint(position));
      };

      try {
        subscription = this.client.subscribeToAll({
          fromPosition: this.lastPosition ?? START,
          resolveLinkTos: false,
          filter: streamNameFilter({
            prefixes: [this.prefix],
            checkpointInterval: this.options.checkpointInterval ?? 1,
            checkpointReached,
          }),
        });
      } catch (error) {
        end(error); // a drop like any other: reported, backed off, retried
        return;
      }
      this.endCurrent = end;
      subscription.on(
        'data',
        (resolved: AllStreamResolvedEvent) => void enqueue(() => this.handleEvent(resolved)),
      );
      // Listeners stay attached after end(): a late error from the old stream must not go unhandled.
      subscription.on('error', (error: unknown) => end(error));
      subscription.on('end', () => end(new Error('EventStoreDB subscription ended')));
      subscription.on('close', () => end(new Error('EventStoreDB subscription closed')));
      if (this.stopped) end(null);
    });
  }

  private async handleEvent(resolved: AllStreamResolvedEvent): Promise<void> {
    const event = resolved.event;
    if (!event || !event.streamId.startsWith(this.prefix)) return;
    // After a resubscribe the server may hand back the event at the resume position; skip what
    // was handled already.
    if (this.lastPosition && compareEsdbPositions(event.position, this.lastPosition) <= 0) return;
    await this.options.handler({ kind: 'event', event: toRecordedEvent(resolved) });
    this.lastPosition = event.position;
  }

  private async handleCheckpoint(position: Position): Promise<void> {
    // Filtered live subscriptions have been seen to report a checkpoint behind the last event
    // delivered; a checkpoint never moves the position backwards.
    if (this.lastPosition && compareEsdbPositions(position, this.lastPosition) <= 0) return;
    await this.options.handler({ kind: 'checkpoint', position: encodePosition(position) });
    this.lastPosition = position;
  }

  private pause(ms: number): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = null;
    });
  }
}
