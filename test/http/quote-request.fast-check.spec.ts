import fc from 'fast-check';
import { QuoteRequest } from '../../src/accounts/http/dto/requests';
import { checkQuoteRequest } from '../../src/accounts/http/dto/quote-request.fast-check';
import { HttpProblemException } from '../../src/http/errors/http-problem.exception';
import { createValidationPipe } from '../../src/http/validation/validation.pipe';

const BODY = { type: 'body', metatype: QuoteRequest, data: undefined } as const;

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

const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('', 'a\u0000b', '\ud800', 'x'.repeat(maxLength), 'x'.repeat(maxLength + 1)),
  );
const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: anyValue, weight: 1 });
const quoteBody = fc
  .record({
    operation: fc.option(mostly(fc.oneof(fc.constant('video-export'), text(128))), {
      freq: 10,
      nil: undefined,
    }),
    quantity: fc.option(
      mostly(fc.oneof(fc.integer({ min: -1, max: 100 }), fc.constantFrom(1e9, 1e9 + 1, 1.5))),
      { freq: 2, nil: undefined },
    ),
    dimensions: fc.option(
      mostly(
        fc.dictionary(
          fc.oneof(fc.constantFrom('resolution', '', '__proto__'), text(64)),
          fc.oneof(fc.constantFrom('4k', ''), text(64), fc.integer()),
          { maxKeys: 3 },
        ),
      ),
      { freq: 2, nil: undefined },
    ),
    extra: fc.option(anyValue, { freq: 6, nil: undefined }),
  })
  .map((fields) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  );

describe('the quote body fast check', () => {
  const full = createValidationPipe();
  const fast = createValidationPipe(new Map([[QuoteRequest, checkQuoteRequest]]));

  it('takes plain quote bodies, as the full validation builds them', async () => {
    for (const body of [
      { operation: 'stem-separation' },
      { operation: 'video-export', quantity: 90, dimensions: { resolution: '4k' } },
    ]) {
      const dto = checkQuoteRequest(body);
      expect(dto).toBeInstanceOf(QuoteRequest);
      expect(dto).toEqual(await full.transform(body, BODY));
    }
  });

  it('answers every body exactly as the full validation does: the same DTO or the same problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(quoteBody, anyValue), async (body) => {
        const expected = await outcome(full, body);
        const actual = await outcome(fast, body);
        expect(actual).toEqual(expected);
        if ('dto' in actual) expect(actual.dto).toBeInstanceOf(QuoteRequest);
      }),
      { numRuns: 2_000 },
    );
  });
});
