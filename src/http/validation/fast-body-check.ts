/**
 * A hand-written check of a hot route's body: returns the DTO the full validation would return,
 * or null when the body is anything else. It may refuse bodies the full validation accepts (they
 * take the full validation), never the other way round; null is never an error by itself, so
 * every error response still comes from class-validator.
 */
export type FastBodyCheck<T extends object> = (body: unknown) => T | null;
