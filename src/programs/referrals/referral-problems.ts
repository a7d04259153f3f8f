import { problem, validationProblem } from '../../http/errors/problem';
import { mapError, type ProblemMappings } from '../../http/errors/problem-mapping';
import { ReferralExistsError, SelfReferralError } from './errors';

/** The referral program's errors as problems (registered by ReferralsModule). */
export const REFERRAL_PROBLEMS: ProblemMappings = [
  mapError(ReferralExistsError, (error) =>
    problem('referral_exists', `${error.referee} already has a referral`, {
      referee: error.referee,
    }),
  ),
  mapError(SelfReferralError, () =>
    validationProblem([{ field: 'referee', message: 'must not be the referrer' }]),
  ),
];
