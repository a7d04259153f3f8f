import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import { HistoryNotCaughtUpError, InvalidHistoryQueryError } from './errors';

/** Seconds a client should wait before retrying a read whose `after` position was not reached. */
export const RETRY_AFTER_SECONDS = 1;

/** The history feature's errors as problems (registered by HistoryModule). */
export const HISTORY_PROBLEMS: ProblemMappings = [
  mapError(InvalidHistoryQueryError, (error) =>
    validationProblem([{ field: error.field, message: error.reason }]),
  ),
  mapError(
    HistoryNotCaughtUpError,
    (error) =>
      problem(
        'unavailable',
        `The history has not caught up with position ${error.position} within ${error.timeoutMs} ms; retry later`,
        { position: error.position, projectedPosition: error.projectedPosition },
      ),
    { retryAfterSeconds: () => RETRY_AFTER_SECONDS, transient: true },
  ),
];
