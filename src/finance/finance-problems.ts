import { StreamTooLongError } from '../audit/audit-account';
import { problem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import { AccountNotFoundError, VerifyBusyError, VerifyTooLargeError } from './errors';
import { VERIFY_RETRY_AFTER_SECONDS } from './limits';

/** The finance reads' errors as problems (registered by FinanceModule). */
export const FINANCE_PROBLEMS: ProblemMappings = [
  mapError(AccountNotFoundError, (error) =>
    problem('account_not_found', `Account ${error.accountId} has no events`, {
      accountId: error.accountId,
    }),
  ),
  mapError(StreamTooLongError, (error) =>
    problem(
      'stream_too_long',
      `The stream of ${error.accountId} has more than ${error.maxEvents} events, more than an audit over HTTP folds; ` +
        `run \`npm run ledger -- audit ${error.accountId}\` (docs/audit.md)`,
      { accountId: error.accountId, maxEvents: error.maxEvents, cli: 'ledger audit' },
    ),
  ),
  mapError(VerifyTooLargeError, (error) =>
    problem(
      'verify_too_large',
      `More than ${error.maxAccounts} accounts: verify one account over HTTP ({ "accountId": … }), ` +
        'or all of them with `npm run ledger -- verify` (docs/audit.md)',
      { maxAccounts: error.maxAccounts, cli: 'ledger verify' },
    ),
  ),
  mapError(
    VerifyBusyError,
    () => problem('unavailable', 'A verify is already running in this process; retry shortly'),
    { retryAfterSeconds: () => VERIFY_RETRY_AFTER_SECONDS, transient: true },
  ),
];
