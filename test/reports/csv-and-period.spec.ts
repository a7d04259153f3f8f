import {
  headerLine,
  integerCell,
  rowLine,
  textCell,
  type CsvColumn,
} from '../../src/reports/exports/csv';
import { rollupRanges } from '../../src/reports/analytics/analytics-read-model';
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

  it('reads a period as the whole years, quarters and months inside it, and days at its edges', () => {
    const period = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
    expect(rollupRanges(period('2024-11-29', '2026-11-30'))).toEqual([
      { granularity: 'day', from: '2024-11-29', to: '2024-12-01' },
      { granularity: 'month', from: '2024-12-01', to: '2025-01-01' },
      { granularity: 'year', from: '2025-01-01', to: '2026-01-01' },
      { granularity: 'quarter', from: '2026-01-01', to: '2026-10-01' },
      { granularity: 'month', from: '2026-10-01', to: '2026-11-01' },
      { granularity: 'day', from: '2026-11-01', to: '2026-11-30' },
    ]);
    expect(rollupRanges(period('2026-01-01', '2026-03-01'))).toEqual([
      { granularity: 'month', from: '2026-01-01', to: '2026-03-01' },
    ]);
    expect(rollupRanges(period('2026-01-15', '2026-02-10'))).toEqual([
      { granularity: 'day', from: '2026-01-15', to: '2026-02-10' },
    ]);
  });
});
