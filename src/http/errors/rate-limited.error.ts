/**
 * A rate limit was exceeded (PRODUCT.md §6). Carries what the client needs to back off: the
 * policy that was hit and when its window ends. Mapped to 429 `rate_limited` with `Retry-After` and
 * the IETF RateLimit headers by src/http/errors/kernel-problems.ts.
 */
export class RateLimitedError extends Error {
  /** For Fastify, should it ever see one before the problem filter does. */
  readonly statusCode = 429;

  constructor(
    /** What was limited, for the problem's detail: "writes per API key", "checkouts per account". */
    readonly what: string,
    /** Requests allowed per window. */
    readonly limit: number,
    readonly windowSeconds: number,
    /** Seconds until the window resets (at least 1). */
    readonly resetSeconds: number,
  ) {
    super(
      `Too many ${what}: at most ${limit} per ${windowSeconds === 1 ? 'second' : `${windowSeconds} seconds`}`,
    );
    this.name = 'RateLimitedError';
  }
}
