/**
 * CSV as RFC 4180 writes it (docs/reports.md "CSV format"): CRLF line ends, a header row, a field
 * quoted when it holds a comma, a double quote, CR or LF (its quotes doubled). Pure.
 *
 * Spreadsheet formula injection: a TEXT cell that starts with `=`, `+`, `-`, `@`, a tab or a CR
 * gets a leading `'`, so Excel, LibreOffice and Google Sheets show it instead of running it
 * (OWASP "CSV Injection"). Number cells are never changed: a signed amount such as `-5` is data a
 * spreadsheet must read as the number −5, and it cannot hold a formula (it is an integer we wrote).
 */
export type CsvKind = 'text' | 'integer';

export interface CsvColumn<Row> {
  header: string;
  kind: CsvKind;
  value(row: Row): string | number | null;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text value as a cell: neutralised, then quoted if needed. null is an empty cell. */
export function textCell(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An integer as a cell, as it is (pg hands bigint over as a number: src/database/pool.ts). */
export function integerCell(value: number | null): string {
  if (value === null) return '';
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount: ${value}`);
  return String(value);
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

export function headerLine<Row>(columns: readonly CsvColumn<Row>[]): string {
  return csvLine(columns.map((column) => textCell(column.header)));
}

export function rowLine<Row>(columns: readonly CsvColumn<Row>[], row: Row): string {
  return csvLine(
    columns.map((column) => {
      const value = column.value(row);
      return column.kind === 'integer'
        ? integerCell(value as number | null)
        : textCell(value === null ? null : String(value));
    }),
  );
}
