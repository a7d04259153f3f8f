import type { EventStore, GlobalPosition } from '../../src/event-store/event-store.port';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import type { ProjectorSource, SourceBatch } from './projector-source';
import { WakeableSleep } from './wake-sleep';

/**
 * Polls EventStore.readAll (the PostgreSQL global log: only finished transactions, ordered by
 * (xid, global_position), filtered to the ledger's streams). The projector decides how long to
 * wait: nothing when the previous batch was full, growing to its idle interval otherwise.
 */
export class PollingProjectorSource implements ProjectorSource {
  private readonly idle = new WakeableSleep();

  constructor(
    private readonly eventStore: EventStore,
    private readonly options: {
      streamPrefix?: string;
      estimateTotal?: () => Promise<number | null>;
    } = {},
  ) {}

  async read(after: GlobalPosition | null, maxCount: number, waitMs: number): Promise<SourceBatch> {
    const first = await this.readOnce(after, maxCount);
    if (first.events.length > 0 || first.position !== null || waitMs <= 0) return first;
    await this.idle.sleep(waitMs);
    return this.readOnce(after, maxCount);
  }

  wake(): void {
    this.idle.wake();
  }

  estimateTotal(): Promise<number | null> {
    return this.options.estimateTotal ? this.options.estimateTotal() : Promise.resolve(null);
  }

  close(): Promise<void> {
    this.idle.cancel();
    return Promise.resolve();
  }

  private async readOnce(after: GlobalPosition | null, maxCount: number): Promise<SourceBatch> {
    const { events, lastPosition } = await this.eventStore.readAll({
      after,
      maxCount,
      streamPrefix: this.options.streamPrefix ?? STREAM_PREFIX,
    });
    return { events, position: lastPosition };
  }
}
