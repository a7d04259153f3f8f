import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import {
  AnalyticsNotCaughtUpError,
  ExportFailedError,
  InvalidReportQueryError,
  TooManyExportsError,
} from './errors';

/** Seconds a client should wait before retrying a busy export or a read that did not catch up. */
export const EXPORT_RETRY_AFTER_SECONDS = 5;
export const ANALYTICS_RETRY_AFTER_SECONDS = 1;

/** The reports feature's errors as problems (registered by ReportsModule). */
export const REPORTS_PROBLEMS: ProblemMappings = [
  mapError(InvalidReportQueryError, (error) =>
    validationProblem([{ field: error.field, message: error.reason }]),
  ),
  mapError(
    AnalyticsNotCaughtUpError,
    (error) =>
      problem(
        'unavailable',
        `The analytics have not caught up with position ${error.position} within ${error.timeoutMs} ms; retry later`,
        { position: error.position, projectedPosition: error.projectedPosition },
      ),
    { retryAfterSeconds: () => ANALYTICS_RETRY_AFTER_SECONDS, transient: true },
  ),
  mapError(
    TooManyExportsError,
    (error) =>
      problem(
        'unavailable',
        `${error.limit} CSV exports are already running on this instance (REPORTS_MAX_CONCURRENT_EXPORTS); retry in a few seconds`,
        { limit: error.limit },
      ),
    { retryAfterSeconds: () => EXPORT_RETRY_AFTER_SECONDS, transient: true },
  ),
  mapError(
    ExportFailedError,
    () =>
      problem(
        'unavailable',
        'The export could not be started (the database did not answer its query); nothing was sent, retry in a few seconds',
      ),
    { retryAfterSeconds: () => EXPORT_RETRY_AFTER_SECONDS, transient: true },
  ),
];
