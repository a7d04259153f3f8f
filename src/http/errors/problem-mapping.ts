import type { Problem } from './problem';

/** An error class, abstract or not, whatever its constructor takes. */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/** What a mapping may ask about another error: the cause a wrapping error carries. */
export interface ProblemCauses {
  /** Whether `error` is declared transient by the module that owns it. */
  isTransient(error: unknown): boolean;
}

/**
 * How one module's error becomes a problem. Each feature module registers the list of its own
 * errors (src/http/errors/problem-catalog.ts), so the exception filter knows no module's internals.
 * Methods, not function properties: a mapping of a subclass of Error fits a list of mappings.
 */
export interface ProblemMapping<E extends Error = Error> {
  /** The class mapped; its subclasses too, unless they have a mapping of their own. */
  readonly error: ErrorClass<E>;
  toProblem(error: E, causes: ProblemCauses): Problem;
  /** For a 429 or 503: when to retry, when this error knows better than the default. */
  retryAfterSeconds?(error: E): number | undefined;
  /** Headers that travel with this problem besides those its status always gets. */
  headers?(error: E): Record<string, string>;
  /**
   * The condition passes by itself: the same request a little later is expected to succeed. Read
   * by errors that wrap a cause (a Stripe event whose processing failed is answered 503, not 500).
   */
  readonly transient?: boolean;
}

/** A module's registration: the mappings of the errors it owns. */
export type ProblemMappings = readonly ProblemMapping[];

/** One mapping, with `E` inferred from the class (the object literal alone would not infer it). */
export function mapError<E extends Error>(
  error: ErrorClass<E>,
  toProblem: (error: E, causes: ProblemCauses) => Problem,
  more: Omit<ProblemMapping<E>, 'error' | 'toProblem'> = {},
): ProblemMapping<E> {
  return { error, toProblem, ...more };
}
