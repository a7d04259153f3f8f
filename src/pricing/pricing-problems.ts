import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import {
  RateCardInvalidError,
  RateCardPublishConflictError,
  RateCardVersionNotFoundError,
} from './errors';

/** The pricing feature's errors as problems (registered by PricingModule). */
export const PRICING_PROBLEMS: ProblemMappings = [
  mapError(RateCardInvalidError, (error) =>
    validationProblem(
      error.problems,
      `The rate card was not published: ${error.problems.length === 1 ? 'one problem' : `${error.problems.length} problems`} (see errors)`,
    ),
  ),
  mapError(RateCardVersionNotFoundError, (error) =>
    problem('not_found', `No rate card was published with version ${error.version}`),
  ),
  mapError(
    RateCardPublishConflictError,
    () =>
      problem(
        'concurrency_conflict',
        'Other publications of the rate card kept winning the race; retry the request',
      ),
    { transient: true },
  ),
];
