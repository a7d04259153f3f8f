import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';

export interface SourceBatch {
  /** Events of the ledger's streams (`credits-…`), strictly after the position asked for, in log order. */
  events: RecordedEvent[];
  /**
   * The position to store as the checkpoint once `events` are applied, and to read after next. It
   * may be past the last event (the source skipped other streams); null when nothing was read.
   */
  position: GlobalPosition | null;
}

/**
 * Where a projector reads the global log from. The projector owns the checkpoint: it asks for the
 * events after the position it last committed, and asks again from the same position after a
 * failed batch; a source must then hand the same events again.
 */
export interface ProjectorSource {
  /**
   * At most `maxCount` events after `after` (null: from the start of the log). When nothing is
   * there yet, waits up to `waitMs` for something to arrive before returning an empty batch.
   */
  read(after: GlobalPosition | null, maxCount: number, waitMs: number): Promise<SourceBatch>;
  /** Ends a wait in progress at once (a reader is waiting for a position: look now). */
  wake(): void;
  /** A rough count of the ledger's events, for rebuild progress; null when unknown. */
  estimateTotal?(): Promise<number | null>;
  close(): Promise<void>;
}

/** A position as a map key of the shared readers (SharedLogReader, LiveLogTail); '' is the start. */
export function positionKey(after: GlobalPosition | null): string {
  return after === null ? '' : `@${after}`;
}
