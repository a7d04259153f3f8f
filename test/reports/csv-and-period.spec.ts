import {
  headerLine,
  integerCell,
  rowLine,
  textCell,
  type CsvColumn,
} from '../../src/reports/exports/csv';
import fc from 'fast-check';
import { signedCover, type SignedRange } from '../../src/reports/analytics/rollup-cover';
import {
  InvalidReportQueryError,
  parseInstantOrDate,
  previousPeriod,
  resolvePeriod,
  wholeDays,
} from '../../src/reports/period';

describe('CSV cells (RFC 4180, formula injection)', () => {
  it('quotes a text cell holding a comma, a quote, CR or LF, doubling its quotes', () => {
    expect(textCell('plain')).toBe('plain');
    expect(textCell('a,b')).toBe('"a,b"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
    expect(textCell(null)).toBe('');
    expect(textCell('')).toBe('');
  });

  it("prefixes a text cell starting with = + - @ tab or CR with ' (then quotes it if needed)", () => {
    expect(textCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(textCell('+1')).toBe("'+1");
    expect(textCell('-2+3')).toBe("'-2+3");
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('\tx')).toBe("'\tx");
    expect(textCell('\rx')).toBe(`"'\rx"`);
    expect(textCell('a=b')).toBe('a=b');
  });

  it('writes integers as they are: a negative amount is a number, not a formula', () => {
    expect(integerCell(-5)).toBe('-5');
    expect(integerCell(0)).toBe('0');
    expect(integerCell(null)).toBe('');
    expect(() => integerCell(1.5)).toThrow(RangeError);
  });

  it('ends every line with CRLF, header first', () => {
    const columns: CsvColumn<{ n: number; s: string }>[] = [
      { header: 'credits', kind: 'integer', value: (row) => row.n },
      { header: 'description', kind: 'text', value: (row) => row.s },
    ];
    expect(headerLine(columns)).toBe('credits,description\r\n');
    expect(rowLine(columns, { n: -5, s: '-5' })).toBe("-5,'-5\r\n");
  });
});

describe('report periods', () => {
  const now = new Date('2026-03-10T15:30:00.000Z');

  it('reads dates as midnight UTC and instants with their offset; refuses impossible dates', () => {
    expect(parseInstantOrDate('2026-03-01')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseInstantOrDate('2026-03-01T02:00:00+02:00')?.toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(parseInstantOrDate('2026-02-30')).toBeNull();
    expect(parseInstantOrDate('2026-02-30T00:00:00Z')).toBeNull();
    expect(parseInstantOrDate('2026-03-01T00:00:00')).toBeNull();
    expect(parseInstantOrDate('yesterday')).toBeNull();
  });

  it('defaults to the last 30 days, and refuses a reversed or a longer-than-two-years period naming the field', () => {
    expect(resolvePeriod({}, now)).toEqual({
      from: new Date('2026-02-08T15:30:00.000Z'),
      to: now,
    });
    expect(resolvePeriod({ to: '2026-03-01' }, now).from.toISOString()).toBe(
      '2026-01-30T00:00:00.000Z',
    );
    const refusal = (query: { from?: string; to?: string }) => {
      try {
        resolvePeriod(query, now);
      } catch (error) {
        return error instanceof InvalidReportQueryError ? error.field : 'other';
      }
      return null;
    };
    expect(refusal({ from: '2026-03-02', to: '2026-03-01' })).toBe('to');
    expect(refusal({ from: '2024-01-01', to: '2026-01-02' })).toBe('to');
    expect(refusal({ from: '2024-01-01', to: '2026-01-01' })).toBeNull(); // 731 days
    expect(refusal({ from: '2020-01-01' })).toBe('from');
  });

  it('widens to whole UTC days for analytics, and the previous period has the same length', () => {
    const days = wholeDays({
      from: new Date('2026-03-01T10:00:00Z'),
      to: new Date('2026-03-03T00:00:01Z'),
    });
    expect(days).toEqual({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-04T00:00:00Z'),
    });
    expect(previousPeriod(days)).toEqual({
      from: new Date('2026-02-26T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    });
  });

  const period = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
  const today = new Date('2026-11-30T15:00:00Z');

  /** Net count of each day under a signed cover (a day counted +1 −1 +1 is counted once). */
  const dayCounts = (ranges: SignedRange[]) => {
    const counts = new Map<string, number>();
    for (const range of ranges) {
      const end = new Date(`${range.to}T00:00:00Z`).getTime();
      for (let at = new Date(`${range.from}T00:00:00Z`).getTime(); at < end; at += 86_400_000) {
        const day = new Date(at).toISOString().slice(0, 10);
        counts.set(day, (counts.get(day) ?? 0) + range.sign);
      }
    }
    return new Map([...counts].filter(([, count]) => count !== 0));
  };

  it('reads a period from years, quarters, months and days, subtracting when that reads fewer units', () => {
    // A year to today: 2026 minus its December (the future: empty), plus December 2025 and a day.
    expect(signedCover(period('2025-11-30', '2026-12-01'), today)).toEqual([
      { granularity: 'day', from: '2025-11-30', to: '2025-12-01', sign: 1 },
      { granularity: 'month', from: '2025-12-01', to: '2026-01-01', sign: 1 },
      { granularity: 'year', from: '2026-01-01', to: '2027-01-01', sign: 1 },
      { granularity: 'month', from: '2026-12-01', to: '2027-01-01', sign: -1 },
    ]);
    expect(signedCover(period('2026-01-01', '2026-03-01'), today)).toEqual([
      { granularity: 'month', from: '2026-01-01', to: '2026-03-01', sign: 1 },
    ]);
    // Thirty days ending the day before a month's last: the month minus that day.
    expect(signedCover(period('2026-09-30', '2026-10-31'), today)).toEqual([
      { granularity: 'day', from: '2026-09-30', to: '2026-10-01', sign: 1 },
      { granularity: 'month', from: '2026-10-01', to: '2026-11-01', sign: 1 },
      { granularity: 'day', from: '2026-10-31', to: '2026-11-01', sign: -1 },
    ]);
    expect(signedCover(period('2026-01-15', '2026-01-18'), today)).toEqual([
      { granularity: 'day', from: '2026-01-15', to: '2026-01-18', sign: 1 },
    ]);
  });

  it('counts every day of any period exactly once, and no other day', () => {
    const base = Date.UTC(2023, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 1, max: 731 }),
        fc.integer({ min: 0, max: 1500 }),
        (start, length, nowDay) => {
          const from = new Date(base + start * 86_400_000);
          const to = new Date(from.getTime() + length * 86_400_000);
          const counts = dayCounts(signedCover({ from, to }, new Date(base + nowDay * 86_400_000)));
          expect(counts.size).toBe(length);
          for (const [day, count] of counts) {
            expect(count).toBe(1);
            expect(
              day >= from.toISOString().slice(0, 10) && day < to.toISOString().slice(0, 10),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
