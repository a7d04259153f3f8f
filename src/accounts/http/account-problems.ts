import { problem } from '../../http/errors/problem';
import { mapError, type ProblemMappings } from '../../http/errors/problem-mapping';
import { ConcurrencyConflictError, LedgerRejectedError } from '../write-path/errors';
import { QueueFullError } from '../write-path/errors';
import { rejectionProblem } from './rejection-problem';

/** The accounts feature's errors as problems (registered by AccountsModule). */
export const ACCOUNT_PROBLEMS: ProblemMappings = [
  mapError(LedgerRejectedError, (error) => rejectionProblem(error.rejection)),
  mapError(
    ConcurrencyConflictError,
    (error) =>
      problem(
        'concurrency_conflict',
        `Account ${error.accountId} kept changing under concurrent writes; retry the request`,
      ),
    { transient: true },
  ),
  mapError(
    QueueFullError,
    () => problem('rate_limited', 'Too many commands are waiting for this account; retry later'),
    { transient: true },
  ),
];
