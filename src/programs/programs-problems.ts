import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import {
  InvalidProgramRequestError,
  TransferNotFoundError,
  TransfersNotCaughtUpError,
} from './errors';

/** The programs' own errors as problems (registered by ProgramsModule). Ledger refusals
 * (insufficient_credits, account_closed, …) are the accounts feature's mappings. */
export const PROGRAMS_PROBLEMS: ProblemMappings = [
  mapError(InvalidProgramRequestError, (error) =>
    validationProblem([{ field: error.field, message: error.reason }]),
  ),
  mapError(TransferNotFoundError, (error) =>
    problem('not_found', `No transfer ${error.transferId}`),
  ),
  mapError(
    TransfersNotCaughtUpError,
    (error) =>
      problem(
        'unavailable',
        `The transfers have not caught up with position ${error.position} within ${error.timeoutMs} ms; retry later`,
        { position: error.position, projectedPosition: error.projectedPosition },
      ),
    { retryAfterSeconds: () => 1, transient: true },
  ),
];
