import fc from 'fast-check';
import { SpendRequest } from '../../src/accounts/http/dto/requests';
import { checkSpendRequest } from '../../src/accounts/http/dto/spend-request.fast-check';
import { HttpProblemException } from '../../src/http/errors/http-problem.exception';
import { createValidationPipe } from '../../src/http/validation/validation.pipe';

const BODY = { type: 'body', metatype: SpendRequest, data: undefined } as const;

/** What a pipe makes of a body as it arrives over HTTP (JSON): the DTO, or the problem it answers with. */
async function outcome(
  pipe: ReturnType<typeof createValidationPipe>,
  body: unknown,
): Promise<{ dto: unknown } | { problem: unknown }> {
  try {
    return { dto: await pipe.transform(viaJson(body), BODY) };
  } catch (error) {
    if (error instanceof HttpProblemException) return { problem: error.problem };
    throw error;
  }
}

function viaJson(body: unknown): unknown {
  return body === undefined ? undefined : JSON.parse(JSON.stringify(body));
}

const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    // Any code unit, NUL and unpaired surrogates included: text the validation must refuse.
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('a\u0000b', '\u0000', '\ud800', 'x\udfff', '\udc00\ud800', '😀'.slice(0, 1)),
    fc.constantFrom(
      '',
      ' ',
      'x'.repeat(maxLength),
      'x'.repeat(maxLength + 1),
      '😀'.repeat(maxLength / 2),
      `${'😀'.repeat(maxLength / 2)}x`,
      `${'😀'.repeat(maxLength)}`,
    ),
  );
const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
/** Mostly valid values, so that bodies near the edge of validity are common. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: anyValue, weight: 1 });
const credits = mostly(
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
/** Present in about one body in six. */
const rare = (value: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: value, weight: 1 });
const dimensions = mostly(
  fc.dictionary(
    fc.oneof(fc.constantFrom('resolution', 'complexity', '', '__proto__'), text(64)),
    fc.oneof(fc.constantFrom('4k', '1080p', ''), text(64)),
    { maxKeys: 3 },
  ),
);
const quantity = mostly(
  fc.oneof(
    fc.integer({ min: -1, max: 100 }),
    fc.constantFrom(1_000_000_000, 1_000_000_001, 1.5, -0, Number.NaN),
  ),
);
const spendByOperationBody = fc
  .record({
    operation: fc.option(mostly(fc.oneof(fc.constantFrom('video-export'), text(128))), {
      freq: 10,
      nil: undefined,
    }),
    quantity: fc.option(quantity, { freq: 2, nil: undefined }),
    dimensions: fc.option(dimensions, { freq: 2, nil: undefined }),
    description: fc.option(mostly(text(500)), { freq: 2, nil: undefined }),
    reference: rare(mostly(text(200))),
    credits: rare(credits),
    quoteId: rare(mostly(text(200))),
    extra: rare(anyValue),
  })
  .map((fields) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  );
const spendBody = fc
  .record({
    // fc.option's freq: one value in freq is left out.
    credits: fc.option(credits, { freq: 10, nil: undefined }),
    description: fc.option(mostly(text(500)), { freq: 10, nil: undefined }),
    reference: fc.option(mostly(text(200)), { freq: 2, nil: undefined }),
    metadata: rare(
      mostly(
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 3 }),
      ),
    ),
    constructor: rare(anyValue),
    extra: rare(anyValue),
  })
  .map((fields) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  );

describe('the spend body fast check', () => {
  const full = createValidationPipe();
  const fast = createValidationPipe(new Map([[SpendRequest, checkSpendRequest]]));

  it('takes the plain spend bodies, as the full validation builds them', async () => {
    for (const body of [
      { credits: 1, description: 'bench http spend' },
      { credits: 1_000_000_000_000, description: 'x', reference: 'job-7' },
    ]) {
      const dto = checkSpendRequest(body);
      expect(dto).toBeInstanceOf(SpendRequest);
      expect(dto).toEqual(await full.transform(viaJson(body), BODY));
    }
  });

  it('takes the plain spend-by-operation bodies, as the full validation builds them', async () => {
    for (const body of [
      { operation: 'stem-separation' },
      {
        operation: 'video-export',
        quantity: 90,
        dimensions: { resolution: '4k' },
        description: 'export',
        reference: 'job-8',
      },
    ]) {
      const dto = checkSpendRequest(body);
      expect(dto).toBeInstanceOf(SpendRequest);
      expect(dto).toEqual(await full.transform(viaJson(body), BODY));
    }
  });

  it('leaves metadata, nulls, unknown keys, unstorable text and non-objects to the full validation', () => {
    for (const body of [
      { credits: 1, description: 'x', metadata: { a: 'b' } },
      { credits: 1, description: 'x', reference: null },
      { credits: 1, description: 'x', other: 1 },
      { credits: '1', description: 'x' },
      { credits: 1, description: 'a\u0000b' },
      { credits: 1, description: 'x\ud800' },
      { credits: 1, description: 'x', reference: '\udc00' },
      [{ credits: 1, description: 'x' }],
      { operation: 'x', credits: 1 },
      { operation: 'x', quoteId: 'q' },
      { quoteId: 'quote_1' },
      { operation: 'x', quantity: 0 },
      { operation: 'x', dimensions: { a: 1 } },
      { operation: 'x', dimensions: { a: 'b\u0000' } },
      { operation: 'x', dimensions: null },
      null,
      'credits=1',
    ]) {
      expect(checkSpendRequest(body)).toBeNull();
    }
  });

  it('answers every body exactly as the full validation does: the same DTO or the same problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(spendBody, spendByOperationBody, anyValue), async (body) => {
        const expected = await outcome(full, body);
        const actual = await outcome(fast, body);
        expect(actual).toEqual(expected);
        if ('dto' in actual) expect(actual.dto).toBeInstanceOf(SpendRequest);
      }),
      { numRuns: 3_000 },
    );
  });
});
