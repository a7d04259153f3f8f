import type { Problem } from './problem';

export interface ProblemOptions {
  /** For a 429 or 503: when to retry, if the thrower knows better than the default. */
  retryAfterSeconds?: number;
}

/** Thrown by the HTTP layer (pipes, guards) with the exact problem to answer. */
export class HttpProblemException extends Error {
  constructor(
    readonly problem: Problem,
    readonly options: ProblemOptions = {},
  ) {
    super(problem.detail);
    this.name = 'HttpProblemException';
  }
}
