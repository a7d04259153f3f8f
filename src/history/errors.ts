import type { GlobalPosition } from '../event-store/event-store.port';

/** A history request that cannot be answered as asked (400 `validation_failed`, naming `field`). */
export class InvalidHistoryQueryError extends Error {
  constructor(
    readonly field: 'to' | 'after' | 'cursor',
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidHistoryQueryError';
  }
}

/** `?after=` was not reached by the history projection in time (503, retry shortly). */
export class HistoryNotCaughtUpError extends Error {
  constructor(
    readonly position: GlobalPosition,
    /** The projection's checkpoint when the wait ended (null: nothing projected yet). */
    readonly projectedPosition: GlobalPosition | null,
    readonly timeoutMs: number,
  ) {
    super(`the history has not reached position ${position} within ${timeoutMs} ms`);
    this.name = 'HistoryNotCaughtUpError';
  }
}
