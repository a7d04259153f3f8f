import { Injectable } from '@nestjs/common';
import { frameworkProblem } from './framework-problem';
import { KERNEL_PROBLEMS } from './kernel-problems';
import { problem, type Problem } from './problem';
import type { ProblemCauses, ProblemMapping, ProblemMappings } from './problem-mapping';
import { problemResponse, type ProblemResponse } from './problem-response';

/**
 * The one mapping from anything thrown to the problem the client sees, with its headers. It knows
 * the HTTP kernel's errors and the framework's; every other module registers its own errors (its
 * ProblemMappings, from the module's constructor), so this file imports no feature.
 *
 * Built once per application; a look-up is a Map read per class of the error's prototype chain
 * (two or three), no allocation. Unknown errors become a bare 500: no message, stack, SQL or
 * secret leaves the process (they are logged instead).
 */
@Injectable()
export class ProblemCatalog implements ProblemCauses {
  // Keyed by constructor: the error class of a mapping, the `constructor` of a prototype.
  private readonly byClass = new Map<object, ProblemMapping>();

  constructor() {
    this.register(KERNEL_PROBLEMS);
  }

  /** A module's errors. Registering the same mapping again is harmless; a second one is a bug. */
  register(mappings: ProblemMappings): void {
    for (const mapping of mappings) {
      const known = this.byClass.get(mapping.error);
      if (known !== undefined && known !== mapping)
        throw new Error(`${mapping.error.name} is mapped to a problem twice`);
      this.byClass.set(mapping.error, mapping);
    }
  }

  /** The problem for anything thrown, with its headers (src/http/errors/problem-details.filter.ts). */
  responseFor(error: unknown): ProblemResponse {
    const mapping = this.mappingOf(error);
    if (mapping === undefined) return problemResponse(problemWithoutMapping(error));
    return problemResponse(
      mapping.toProblem(error as Error, this),
      mapping.retryAfterSeconds?.(error as Error),
      mapping.headers?.(error as Error),
    );
  }

  isTransient(error: unknown): boolean {
    return this.mappingOf(error)?.transient === true;
  }

  /** The mapping of the error's own class, else of the nearest mapped class it extends. */
  private mappingOf(error: unknown): ProblemMapping | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    for (
      let prototype: object | null = Object.getPrototypeOf(error) as object | null;
      prototype !== null && prototype !== Error.prototype;
      prototype = Object.getPrototypeOf(prototype) as object | null
    ) {
      const mapping = this.byClass.get(prototype.constructor);
      if (mapping !== undefined) return mapping;
    }
    return undefined;
  }
}

function problemWithoutMapping(error: unknown): Problem {
  return (
    frameworkProblem(error) ??
    problem('internal_error', 'An unexpected error occurred; it has been logged')
  );
}
