import { problem, validationProblem } from '../../http/errors/problem';
import { mapError, type ProblemMappings } from '../../http/errors/problem-mapping';
import {
  GiftCodeAlreadyRedeemedError,
  GiftCodeExpiredError,
  GiftCodeExpiryInvalidError,
  GiftCodeNotFoundError,
} from './errors';

/** The gift-code program's errors as problems (registered by GiftCodesModule). */
export const GIFT_CODE_PROBLEMS: ProblemMappings = [
  mapError(GiftCodeNotFoundError, () =>
    problem('gift_code_not_found', 'No gift code matches; check it and try again'),
  ),
  mapError(GiftCodeExpiredError, (error) =>
    problem('gift_code_expired', `This gift code expired at ${error.expiresAt}`, {
      expiresAt: error.expiresAt,
    }),
  ),
  mapError(GiftCodeAlreadyRedeemedError, () =>
    problem('gift_code_redeemed', 'This gift code was already redeemed'),
  ),
  mapError(GiftCodeExpiryInvalidError, () =>
    validationProblem([{ field: 'expiresAt', message: 'must be in the future' }]),
  ),
];
