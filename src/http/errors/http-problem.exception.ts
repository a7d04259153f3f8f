import type { Problem } from './problem';

/** Thrown by the HTTP layer (pipes, guards) with the exact problem to answer. */
export class HttpProblemException extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'HttpProblemException';
  }
}
