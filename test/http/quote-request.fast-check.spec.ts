import fc from 'fast-check';
import { QuoteRequest } from '../../src/accounts/http/dto/requests';
import { checkQuoteRequest } from '../../src/accounts/http/dto/quote-request.fast-check';
import { anyJsonValue, fastAndFull, mostly, withoutUndefined } from './support/fast-body-check-kit';

const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('', 'a\u0000b', '\ud800', 'x'.repeat(maxLength), 'x'.repeat(maxLength + 1)),
  );
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
    extra: fc.option(anyJsonValue, { freq: 6, nil: undefined }),
  })
  .map(withoutUndefined);

describe('the quote body fast check', () => {
  const { fullDto, expectSameAnswers } = fastAndFull(QuoteRequest, checkQuoteRequest);

  it('takes plain quote bodies, as the full validation builds them', async () => {
    for (const body of [
      { operation: 'stem-separation' },
      { operation: 'video-export', quantity: 90, dimensions: { resolution: '4k' } },
    ]) {
      const dto = checkQuoteRequest(body);
      expect(dto).toBeInstanceOf(QuoteRequest);
      expect(dto).toEqual(await fullDto(body));
    }
  });

  it('answers every body exactly as the full validation does: the same DTO or the same problem', () =>
    expectSameAnswers(fc.oneof(quoteBody, anyJsonValue), 2_000));
});
