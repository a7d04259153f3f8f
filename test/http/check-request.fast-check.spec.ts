import fc from 'fast-check';
import { CheckRequest } from '../../src/accounts/http/dto/requests';
import { checkCheckRequest } from '../../src/accounts/http/dto/check-request.fast-check';
import {
  anyJsonValue,
  creditsValue,
  fastAndFull,
  withoutUndefined,
} from './support/fast-body-check-kit';

const checkBody = fc
  .record({
    credits: fc.option(creditsValue, { freq: 10, nil: undefined }),
    extra: fc.option(anyJsonValue, { freq: 6, nil: undefined }),
    constructor: fc.option(anyJsonValue, { freq: 10, nil: undefined }),
  })
  .map(withoutUndefined);

describe('the check body fast check', () => {
  const { fullDto, expectSameAnswers } = fastAndFull(CheckRequest, checkCheckRequest);

  it('takes plain check bodies, as the full validation builds them', async () => {
    for (const body of [{ credits: 1 }, { credits: 1_000_000_000_000 }]) {
      const dto = checkCheckRequest(body);
      expect(dto).toBeInstanceOf(CheckRequest);
      expect(dto).toEqual(await fullDto(body));
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

  it('answers every body exactly as the full validation does: the same DTO or the same problem', () =>
    expectSameAnswers(fc.oneof(checkBody, anyJsonValue), 2_000));
});
