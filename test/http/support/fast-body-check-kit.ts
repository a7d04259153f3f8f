import type { Type } from '@nestjs/common';
import fc from 'fast-check';
import type { FastBodyCheck } from '../../../src/http/validation/fast-body-check';
import { HttpProblemException } from '../../../src/http/errors/http-problem.exception';
import { createValidationPipe } from '../../../src/http/validation/validation.pipe';

/**
 * What the fast body check specs share: a fast check must answer every body exactly as the full
 * validation does (the same DTO or the same problem), so each spec runs the two pipes side by side.
 */

/** Any JSON value: what a client may send instead of the body a route expects. */
export const anyJsonValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

/** Mostly valid values, so that bodies near the edge of validity are common. */
export const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: anyJsonValue, weight: 1 });

/** Mostly credits a command may carry, with the edges of that range and numbers JSON cannot keep. */
export const creditsValue = mostly(
  fc.oneof(
    fc.integer({ min: -1, max: 3 }),
    fc.constantFrom(
      1_000_000_000_000,
      1_000_000_000_001,
      2 ** 53,
      1.5,
      -0,
      Number.MAX_SAFE_INTEGER,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ),
  ),
);

/** A record of optional fields without the ones left out (fc.option's `nil: undefined`). */
export const withoutUndefined = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

/** The full validation pipe and one with the fast check, for the DTO class `dto`. */
export function fastAndFull<T extends object>(dto: Type<T>, check: FastBodyCheck<T>) {
  const full = createValidationPipe();
  const fast = createValidationPipe(new Map([[dto, check]]));
  const metadata = { type: 'body', metatype: dto, data: undefined } as const;
  /** What a pipe makes of a body as it arrives over HTTP (JSON): the DTO, or the problem it answers with. */
  const outcome = async (
    pipe: typeof full,
    body: unknown,
  ): Promise<{ dto: unknown } | { problem: unknown }> => {
    try {
      return { dto: await pipe.transform(viaJson(body), metadata) };
    } catch (error) {
      if (error instanceof HttpProblemException) return { problem: error.problem };
      throw error;
    }
  };
  return {
    /** The DTO the full validation builds from `body`. */
    fullDto: (body: unknown) => full.transform(viaJson(body), metadata),
    /** Property: for every body `bodies` generates, both pipes answer the same. */
    expectSameAnswers: (bodies: fc.Arbitrary<unknown>, numRuns: number) =>
      fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const expected = await outcome(full, body);
          const actual = await outcome(fast, body);
          expect(actual).toEqual(expected);
          if ('dto' in actual) expect(actual.dto).toBeInstanceOf(dto);
        }),
        { numRuns },
      ),
  };
}

function viaJson(body: unknown): unknown {
  return body === undefined ? undefined : JSON.parse(JSON.stringify(body));
}
