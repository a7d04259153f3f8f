import { RateLimitedError } from './rate-limited.error';
import { HttpProblemException } from './http-problem.exception';
import { problem } from './problem';
import { mapError, type ProblemMappings } from './problem-mapping';

/** The HTTP kernel's own errors: always known to every ProblemCatalog. */
export const KERNEL_PROBLEMS: ProblemMappings = [
  mapError(HttpProblemException, (error) => error.problem, {
    retryAfterSeconds: (error) => error.options.retryAfterSeconds,
  }),
  mapError(
    RateLimitedError,
    (error) => problem('rate_limited', `${error.message}; retry in ${error.resetSeconds} s`),
    {
      retryAfterSeconds: (error) => error.resetSeconds,
      // draft-ietf-httpapi-ratelimit-headers (the Limit/Remaining/Reset trio with its Policy
      // header), as @fastify/rate-limit writes them on the responses under a limit.
      headers: (error) => ({
        'ratelimit-limit': String(error.limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(error.resetSeconds),
        'ratelimit-policy': `${error.limit};w=${error.windowSeconds}`,
      }),
    },
  ),
];
