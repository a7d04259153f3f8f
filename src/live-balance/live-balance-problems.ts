import { problem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import { BalanceStreamsFullError } from './errors';

/** An EventSource reconnects by itself; this tells other clients when to try again. */
const RETRY_AFTER_SECONDS = 5;

/** The live balance's errors as problems (registered by LiveBalanceModule). */
export const LIVE_BALANCE_PROBLEMS: ProblemMappings = [
  mapError(
    BalanceStreamsFullError,
    (error) =>
      problem(
        'unavailable',
        `This instance already serves ${error.maxConnections} balance streams (BALANCE_STREAM_MAX_CONNECTIONS); retry shortly`,
      ),
    { retryAfterSeconds: () => RETRY_AFTER_SECONDS, transient: true },
  ),
];
