import { HttpProblemException } from '../../../src/http/errors/http-problem.exception';
import { createValidationPipe } from '../../../src/http/validation/validation.pipe';
import { packProblems } from '../../../src/payments/catalog/pack-rules';
import { CreateCreditPackRequest } from '../../../src/payments/credit-pack.dto';
import { aPack } from './pack-fixtures';

describe('pack rules', () => {
  it('accept a well-formed pack', () => {
    expect(packProblems(aPack(), { newId: true })).toEqual([]);
    expect(
      packProblems(
        aPack({
          bonusCredits: 200,
          stripePriceId: 'price_1QbulkXYZ',
          availableFrom: '2026-12-01T00:00:00.000Z',
          availableUntil: '2027-01-01T00:00:00.000Z',
          expiresAfterDays: 365,
        }),
        { newId: true },
      ),
    ).toEqual([]);
  });

  it('name every field a pack breaks, at once', () => {
    const problems = packProblems(
      aPack({
        packId: 'Bulk Pack',
        name: '   ',
        credits: 0,
        bonusCredits: -1,
        price: { minor: 49, currency: 'usd' },
        stripePriceId: 'prod_123',
        expiresAfterDays: 0,
        availableFrom: '2026-02-30T00:00:00Z',
        availableUntil: 'tomorrow',
      }),
      { newId: true },
    );
    expect(problems.map((problem) => problem.field)).toEqual([
      'packId',
      'name',
      'credits',
      'bonusCredits',
      'price.minor',
      'price.currency',
      'stripePriceId',
      'availableFrom',
      'availableUntil',
      'expiresAfterDays',
    ]);
  });

  it.each([
    ['credits above a billion', { credits: 1_000_000_001 }, 'credits'],
    ['fractional credits', { credits: 10.5 }, 'credits'],
    [
      'a price above eight digits',
      { price: { minor: 100_000_000, currency: 'USD' } },
      'price.minor',
    ],
    ['an unknown currency', { price: { minor: 1000, currency: 'XYZ' } }, 'price.currency'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name'],
    ['a packId of 65 characters', { packId: 'a'.repeat(65) }, 'packId'],
    ['a packId with an underscore', { packId: 'big_pack' }, 'packId'],
    ['expiry beyond ten years', { expiresAfterDays: 3651 }, 'expiresAfterDays'],
    [
      'an empty window',
      { availableFrom: '2027-01-01T00:00:00Z', availableUntil: '2027-01-01T00:00:00Z' },
      'availableUntil',
    ],
    [
      'a window ending before it starts',
      { availableFrom: '2027-01-01T00:00:00Z', availableUntil: '2026-12-31T23:59:59+00:00' },
      'availableUntil',
    ],
  ])('refuse %s', (_case, overrides, field) => {
    expect(packProblems(aPack(overrides), { newId: true })).toEqual([
      { field, message: expect.any(String) },
    ]);
  });

  it('accept the bounds', () => {
    expect(
      packProblems(
        aPack({
          credits: 1_000_000_000,
          bonusCredits: 1_000_000_000,
          price: { minor: 50, currency: 'JPY' },
          name: 'x'.repeat(100),
          packId: 'a'.repeat(64),
          expiresAfterDays: 3650,
        }),
        { newId: true },
      ),
    ).toEqual([]);
    expect(
      packProblems(aPack({ price: { minor: 99_999_999, currency: 'EUR' } }), { newId: true }),
    ).toEqual([]);
  });

  it('leave the id of an existing (seeded) pack alone', () => {
    expect(packProblems(aPack({ packId: 'Legacy_Pack' }), { newId: false })).toEqual([]);
    expect(packProblems(aPack({ packId: 'Legacy_Pack' }), { newId: true })).toEqual([
      { field: 'packId', message: 'must be 1–64 characters of a–z 0–9 -' },
    ]);
  });
});

describe('POST /v1/credit-packs body (the validation pipe on CreateCreditPackRequest)', () => {
  const pipe = createValidationPipe();
  const BODY = { type: 'body', metatype: CreateCreditPackRequest, data: undefined } as const;

  async function errorsOf(body: unknown): Promise<Array<{ field: string; message: string }>> {
    try {
      await pipe.transform(JSON.parse(JSON.stringify(body)), BODY);
    } catch (error) {
      if (error instanceof HttpProblemException) return error.problem.errors ?? [];
      throw error;
    }
    return [];
  }

  it('takes a valid pack, defaults left out', async () => {
    const body = {
      packId: 'bulk',
      name: 'Bulk',
      credits: 2000,
      price: { minor: 1990, currency: 'USD' },
    };
    const dto = await pipe.transform(body, BODY);
    expect(dto).toBeInstanceOf(CreateCreditPackRequest);
    expect(dto).toMatchObject(body);
  });

  it('names every bad field, nested ones by their path, in one answer', async () => {
    const errors = await errorsOf({
      packId: 'Bulk!',
      name: '',
      credits: '2000',
      bonusCredits: 1.5,
      price: { minor: 10, currency: 'dollars', cents: true },
      stripePriceId: 'plan_1',
      popular: 'yes',
      active: 1,
      availableFrom: '2027-01-01T00:00:00Z',
      availableUntil: '2026-01-01T00:00:00Z',
      expiresAfterDays: -5,
      amount: 1,
    });
    expect(errors.map((error) => error.field).sort()).toEqual(
      [
        'packId',
        'name',
        'credits',
        'bonusCredits',
        'price.minor',
        'price.currency',
        'price.cents',
        'stripePriceId',
        'popular',
        'active',
        'availableUntil',
        'expiresAfterDays',
        'amount',
      ].sort(),
    );
    expect(errors.find((error) => error.field === 'availableUntil')?.message).toBe(
      'must be after availableFrom',
    );
    expect(errors.find((error) => error.field === 'credits')?.message).toMatch(/whole number/);
  });

  it('says what is missing', async () => {
    const errors = await errorsOf({ packId: 'bulk' });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'is required' },
        { field: 'credits', message: 'is required' },
        { field: 'price', message: 'is required' },
      ]),
    );
    expect(await errorsOf({ packId: 'bulk', name: 'B', credits: 1, price: 'ten dollars' })).toEqual(
      [{ field: 'price', message: expect.any(String) }],
    );
  });

  it('lets null clear the optional fields', async () => {
    expect(
      await errorsOf({
        packId: 'bulk',
        name: 'Bulk',
        credits: 2000,
        price: { minor: 1990, currency: 'USD' },
        stripePriceId: null,
        availableFrom: null,
        availableUntil: null,
        expiresAfterDays: null,
      }),
    ).toEqual([]);
  });
});
