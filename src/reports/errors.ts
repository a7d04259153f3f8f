import type { GlobalPosition } from '../event-store/event-store.port';

export { InvalidReportQueryError } from './period';

/** `?after=` was not reached by the analytics projection in time (503, retry shortly). */
export class AnalyticsNotCaughtUpError extends Error {
  constructor(
    readonly position: GlobalPosition,
    readonly projectedPosition: GlobalPosition | null,
    readonly timeoutMs: number,
  ) {
    super(`the analytics have not reached position ${position} within ${timeoutMs} ms`);
    this.name = 'AnalyticsNotCaughtUpError';
  }
}

/** Every export slot of this process is taken (503, retry in a few seconds). */
export class TooManyExportsError extends Error {
  constructor(readonly limit: number) {
    super(`${limit} exports are already running in this process`);
    this.name = 'TooManyExportsError';
  }
}

/**
 * An export failed before its first byte was sent (no database connection, the statement
 * refused): still answerable as a problem (503, retry later) instead of a 200 cut short.
 */
export class ExportFailedError extends Error {
  constructor(override readonly cause: unknown) {
    super(
      `the export could not be started: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ExportFailedError';
  }
}
