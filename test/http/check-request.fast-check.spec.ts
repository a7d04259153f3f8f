import fc from 'fast-check';
import { CheckRequest } from '../../src/accounts/http/dto/requests';
import { checkCheckRequest } from '../../src/accounts/http/dto/check-request.fast-check';
import { HttpProblemException } from '../../src/http/errors/http-problem.exception';
import { createValidationPipe } from '../../src/http/validation/validation.pipe';

const BODY = { type: 'body', metatype: CheckRequest, data: undefined } as const;

async function outcome(
  pipe: ReturnType<typeof createValidationPipe>,
  body: unknown,
): Promise<{ dto: unknown } | { problem: unknown }> {
  try {
    return { dto: await pipe.transform(JSON.parse(JSON.stringify(body)) as unknown, BODY) };
  } catch (error) {
    if (error instanceof HttpProblemException) return { problem: error.problem };
    throw error;
  }
}

const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
const credits = fc.oneof(
  { arbitrary: fc.integer({ min: -1, max: 3 }), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      1_000_000_000_000,
      1_000_000_000_001,
      2 ** 53,
      1.5,
      -0,
      Number.MAX_SAFE_INTEGER,
      Number.NaN,
    ),
    weight: 2,
  },
  { arbitrary: anyValue, weight: 1 },
);
const checkBody = fc
  .record({
    credits: fc.option(credits, { freq: 10, nil: undefined }),
    extra: fc.option(anyValue, { freq: 6, nil: undefined }),
    constructor: fc.option(anyValue, { freq: 10, nil: undefined }),
  })
  .map((fields) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  );

describe('the check body fast check', () => {
  const full = createValidationPipe();
  const fast = createValidationPipe(new Map([[CheckRequest, checkCheckRequest]]));

  it('takes plain check bodies, as the full validation builds them', async () => {
    for (const body of [{ credits: 1 }, { credits: 1_000_000_000_000 }]) {
      const dto = checkCheckRequest(body);
      expect(dto).toBeInstanceOf(CheckRequest);
      expect(dto).toEqual(await full.transform(body, BODY));
    }
  });

  it('leaves everything else to the full validation', () => {
    for (const body of [
      { credits: '1' },
      { credits: 0 },
      { credits: 1.5 },
      { credits: 1, other: 1 },
      {},
      [{ credits: 1 }],
      null,
      'credits=1',
    ]) {
      expect(checkCheckRequest(body)).toBeNull();
    }
  });

  it('answers every body exactly as the full validation does: the same DTO or the same problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(checkBody, anyValue), async (body) => {
        const expected = await outcome(full, body);
        const actual = await outcome(fast, body);
        expect(actual).toEqual(expected);
        if ('dto' in actual) expect(actual.dto).toBeInstanceOf(CheckRequest);
      }),
      { numRuns: 2_000 },
    );
  });
});
