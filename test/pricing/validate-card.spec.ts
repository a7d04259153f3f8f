import { MAX_OPERATIONS, MAX_REPORTED_PROBLEMS } from '../../src/pricing/rate-card/card-limits';
import { DEFAULT_RATE_CARD } from '../../src/pricing/rate-card/default-rate-card';
import { factorProblem, validateOperations } from '../../src/pricing/rate-card/validate-card';
import { operation, viaJson } from './fixtures';

/** The fields named, in order; the messages have their own cases. */
function fieldsOf(input: unknown): string[] {
  const result = validateOperations(input);
  return result.ok ? [] : result.problems.map((problem) => problem.field);
}

function problemsOf(input: unknown) {
  const result = validateOperations(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('validateOperations (the card to publish, checked whole)', () => {
  it('accepts the default card as a card to publish, unchanged', () => {
    const operations = viaJson(DEFAULT_RATE_CARD.operations);
    expect(validateOperations(operations)).toEqual({ ok: true, operations });
  });

  it('rebuilds the operations from their known fields only', () => {
    const sent = viaJson([operation('render', { minimumAvailable: 0 })]);
    const result = validateOperations(sent);
    expect(result).toEqual({ ok: true, operations: sent });
    if (result.ok) {
      expect(result.operations[0]).not.toBe(sent[0]);
      expect(result.operations[0].pricing).not.toBe(sent[0].pricing);
    }
  });

  it('lists every problem of every operation at once, each named by its path', () => {
    const problems = problemsOf([
      operation('ok-1'),
      {
        operationId: 'Bad_Id',
        name: '',
        unit: 7,
        minimumAvailable: -1,
        colour: 'red',
        pricing: {
          base: -1,
          perUnit: 1.5,
          unitSize: 0,
          minimum: '5',
          discount: 1,
          multiplier: { resolution: { '720p': 1, '4k': 0, '8k': 1.0005, big: 1001 } },
        },
      },
      operation('ok-1'),
    ]);
    expect(problems).toEqual([
      { field: 'operations[1].colour', message: 'is not a field of an operation' },
      {
        field: 'operations[1].operationId',
        message: 'must be 1–64 characters of a–z, 0–9 and -, starting with a letter or digit',
      },
      { field: 'operations[1].name', message: 'must not be empty' },
      { field: 'operations[1].unit', message: 'must be a string' },
      {
        field: 'operations[1].minimumAvailable',
        message: 'must be a whole number from 0 to 1000000000000',
      },
      { field: 'operations[1].pricing.discount', message: 'is not a field of pricing' },
      {
        field: 'operations[1].pricing.base',
        message: 'must be a whole number from 0 to 1000000000000',
      },
      {
        field: 'operations[1].pricing.perUnit',
        message: 'must be a whole number from 0 to 1000000000000',
      },
      {
        field: 'operations[1].pricing.unitSize',
        message: 'must be a whole number from 1 to 1000000000',
      },
      {
        field: 'operations[1].pricing.minimum',
        message: 'must be a whole number from 0 to 1000000000000',
      },
      {
        field: 'operations[1].pricing.multiplier.resolution.4k',
        message: 'must be a number above 0 and at most 1000 with at most 3 decimals',
      },
      {
        field: 'operations[1].pricing.multiplier.resolution.8k',
        message: 'must be a number above 0 and at most 1000 with at most 3 decimals',
      },
      {
        field: 'operations[1].pricing.multiplier.resolution.big',
        message: 'must be a number above 0 and at most 1000 with at most 3 decimals',
      },
      {
        field: 'operations[2].operationId',
        message: 'duplicates operations[0].operationId (ok-1)',
      },
    ]);
  });

  it('refuses what is not a list of operations, or an empty one', () => {
    expect(problemsOf({})).toEqual([
      { field: 'operations', message: 'must be an array of operations' },
    ]);
    expect(problemsOf([])).toEqual([
      { field: 'operations', message: 'must list at least one operation' },
    ]);
    expect(fieldsOf([null, 'x', [operation('a')]])).toEqual([
      'operations[0]',
      'operations[1]',
      'operations[2]',
    ]);
  });

  it(`refuses more than ${MAX_OPERATIONS} operations, and accepts exactly that many`, () => {
    const many = (count: number) =>
      Array.from({ length: count }, (_, index) => operation(`op-${index}`));
    expect(validateOperations(many(MAX_OPERATIONS)).ok).toBe(true);
    expect(problemsOf(many(MAX_OPERATIONS + 1))).toEqual([
      { field: 'operations', message: `must list at most ${MAX_OPERATIONS} operations` },
    ]);
  });

  it('requires every field but minimumAvailable and multiplier', () => {
    expect(fieldsOf([{}])).toEqual([
      'operations[0].operationId',
      'operations[0].name',
      'operations[0].unit',
      'operations[0].pricing',
    ]);
    expect(fieldsOf([operation('a', { pricing: {} as never })])).toEqual([
      'operations[0].pricing.base',
      'operations[0].pricing.perUnit',
      'operations[0].pricing.unitSize',
      'operations[0].pricing.minimum',
    ]);
  });

  it.each([
    ['a', true],
    ['0', true],
    ['video-export', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['-a', false],
    ['Video', false],
    ['video_export', false],
    ['vidéo', false],
    ['', false],
  ])('operationId %j valid: %s', (operationId, valid) => {
    expect(validateOperations([operation(operationId)]).ok).toBe(valid);
  });

  it('limits names and units, and refuses blank ones', () => {
    expect(
      fieldsOf([
        operation('a', { name: 'n'.repeat(101), unit: 'u'.repeat(33) }),
        operation('b', { name: '   ', unit: '' }),
        operation('c', { name: 'n'.repeat(100), unit: 'u'.repeat(32) }),
      ]),
    ).toEqual([
      'operations[0].name',
      'operations[0].unit',
      'operations[1].name',
      'operations[1].unit',
    ]);
  });

  it('refuses an operation that would cost nothing', () => {
    expect(
      problemsOf([
        operation('free', { pricing: { base: 0, perUnit: 0, unitSize: 1, minimum: 0 } }),
      ]),
    ).toEqual([
      {
        field: 'operations[0].pricing',
        message:
          'must charge something: at least one of base, perUnit and minimum must be 1 or more',
      },
    ]);
    for (const pricing of [
      { base: 1, perUnit: 0, unitSize: 1, minimum: 0 },
      { base: 0, perUnit: 1, unitSize: 1, minimum: 0 },
      { base: 0, perUnit: 0, unitSize: 1, minimum: 1 },
    ])
      expect(validateOperations([operation('a', { pricing })]).ok).toBe(true);
  });

  it('refuses empty dimension maps, bad dimension names and values, and too many of them', () => {
    const priced = (multiplier: unknown) =>
      operation('a', {
        pricing: { base: 1, perUnit: 0, unitSize: 1, minimum: 0, multiplier: multiplier as never },
      });
    expect(problemsOf([priced({})])).toEqual([
      {
        field: 'operations[0].pricing.multiplier',
        message: 'must name at least one dimension, or be left out',
      },
    ]);
    expect(fieldsOf([priced({ resolution: {} })])).toEqual([
      'operations[0].pricing.multiplier.resolution',
    ]);
    expect(fieldsOf([priced({ resolution: [1] })])).toEqual([
      'operations[0].pricing.multiplier.resolution',
    ]);
    expect(
      fieldsOf([priced({ '1st': { a: 1 }, 'a.b': { c: 1 }, ok: { 'x.y': 1, '-z': 1 } })]),
    ).toEqual([
      'operations[0].pricing.multiplier.1st',
      'operations[0].pricing.multiplier.a.b',
      'operations[0].pricing.multiplier.ok.x.y',
      'operations[0].pricing.multiplier.ok.-z',
    ]);
    const dimensions = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`d${index}`, { v: 1 }]));
    expect(validateOperations([priced(dimensions(8))]).ok).toBe(true);
    expect(fieldsOf([priced(dimensions(9))])).toEqual(['operations[0].pricing.multiplier']);
    const values = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`v${index}`, 1]));
    expect(validateOperations([priced({ size: values(50) })]).ok).toBe(true);
    expect(fieldsOf([priced({ size: values(51) })])).toEqual([
      'operations[0].pricing.multiplier.size',
    ]);
  });

  it('shortens very long keys in field paths', () => {
    const key = 'k'.repeat(500);
    expect(fieldsOf([{ ...operation('a'), [key]: 1 }])).toEqual([
      `operations[0].${'k'.repeat(64)}…`,
    ]);
  });

  it(`lists at most ${MAX_REPORTED_PROBLEMS} problems, then says how many more there were`, () => {
    const problems = problemsOf(Array.from({ length: 600 }, () => ({ name: 1, unit: 1 })));
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(problems.at(-1)).toEqual({ field: 'operations', message: 'and 1400 more problems' });
  });
});

describe('factorProblem (factors exact in thousandths)', () => {
  it.each([0.001, 0.5, 1, 1.5, 2.125, 1.005, 4, 999.999, 1000])('accepts %d', (factor) => {
    expect(factorProblem(factor)).toBeNull();
  });

  it.each([0, -1, 0.0005, 1.0005, 0.1 + 0.2, 1000.001, 1e21, Number.NaN, Infinity, '1', null])(
    'refuses %p',
    (factor) => {
      expect(factorProblem(factor)).toMatch(/at most 3 decimals/);
    },
  );

  it('accepts every JSON decimal with at most 3 decimals up to the limit (parsed, as over HTTP)', () => {
    for (let thousandths = 1; thousandths <= 1_000_000; thousandths += 7) {
      const text = `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`;
      const factor = JSON.parse(text) as number;
      if (factorProblem(factor) !== null) throw new Error(`${text} refused`);
    }
  });
});
