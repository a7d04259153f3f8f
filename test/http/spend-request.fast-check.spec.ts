import fc from 'fast-check';
import { SpendRequest } from '../../src/accounts/http/dto/requests';
import { checkSpendRequest } from '../../src/accounts/http/dto/spend-request.fast-check';
import {
  anyJsonValue,
  creditsValue,
  fastAndFull,
  mostly,
  withoutUndefined,
} from './support/fast-body-check-kit';

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
    credits: rare(creditsValue),
    quoteId: rare(mostly(text(200))),
    extra: rare(anyJsonValue),
  })
  .map(withoutUndefined);
const spendBody = fc
  .record({
    // fc.option's freq: one value in freq is left out.
    credits: fc.option(creditsValue, { freq: 10, nil: undefined }),
    description: fc.option(mostly(text(500)), { freq: 10, nil: undefined }),
    reference: fc.option(mostly(text(200)), { freq: 2, nil: undefined }),
    metadata: rare(
      mostly(
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 3 }),
      ),
    ),
    constructor: rare(anyJsonValue),
    extra: rare(anyJsonValue),
  })
  .map(withoutUndefined);

describe('the spend body fast check', () => {
  const { fullDto, expectSameAnswers } = fastAndFull(SpendRequest, checkSpendRequest);

  it('takes the plain spend bodies, as the full validation builds them', async () => {
    for (const body of [
      { credits: 1, description: 'bench http spend' },
      { credits: 1_000_000_000_000, description: 'x', reference: 'job-7' },
    ]) {
      const dto = checkSpendRequest(body);
      expect(dto).toBeInstanceOf(SpendRequest);
      expect(dto).toEqual(await fullDto(body));
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
      expect(dto).toEqual(await fullDto(body));
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

  it('answers every body exactly as the full validation does: the same DTO or the same problem', () =>
    expectSameAnswers(fc.oneof(spendBody, spendByOperationBody, anyJsonValue), 3_000));
});
