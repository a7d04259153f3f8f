import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Many new rows into one table by `COPY … FROM STDIN` (text format): for plain inserts of many rows,
 * where `JsonRows` (json-rows.ts) serves upserts and joins. PostgreSQL spent ≈ 40–50 µs of CPU per
 * history row on `INSERT … SELECT` from a JsonRows parameter and ≈ 11–15 µs on the same rows by
 * COPY, which parses no JSON and inserts rows in groups (docs/performance.md, "credit_transactions:
 * rows by COPY"). A COPY is one statement: a row that breaks a constraint fails all of them, as the
 * INSERT did. No limit of its own: callers bound their rows (a projector's batch).
 *
 *   const ROWS = new CopyRows<Row>('t', ['account_id', 'credits'], (row) => [row.id, row.credits]);
 *   await ROWS.insert(client, rows);
 *
 * Values: null or undefined is SQL NULL; a string, number, bigint or boolean is its text; a Date is
 * its ISO instant; any other object (metadata, detail) is its JSON, for json and jsonb columns.
 */
export class CopyRows<Row> {
  private readonly statement: string;
  private readonly width: number;

  constructor(
    table: string,
    columns: readonly string[],
    private readonly values: (row: Row) => readonly unknown[],
  ) {
    for (const name of [table, ...columns])
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`CopyRows: bad name "${name}"`);
    this.width = columns.length;
    this.statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
  }

  /**
   * Inserts the rows in one COPY; resolves with how many PostgreSQL stored. A connection, not a
   * pool: a COPY streams over the connection that started it.
   */
  async insert(client: ClientBase, rows: Iterable<Row>): Promise<number> {
    const text = this.text(rows);
    if (text.length === 0) return 0;
    const copy = client.query(copyFrom(this.statement));
    await pipeline(Readable.from([text]), copy);
    return copy.rowCount ?? 0;
  }

  /** The COPY text of the rows: one line each, values separated by tabs. */
  text(rows: Iterable<Row>): string {
    let text = '';
    for (const row of rows) {
      const values = this.values(row);
      // A row of the wrong width would shift every later column: a programming error, caught here.
      if (values.length !== this.width)
        throw new Error(`CopyRows: a row of ${values.length} values for ${this.width} columns`);
      for (let index = 0; index < values.length; index++)
        text += (index === 0 ? '' : '\t') + copyValue(values[index]);
      text += '\n';
    }
    return text;
  }
}

/** Characters the text format gives a meaning: the escape itself and the row and column separators. */
const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return escape(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`CopyRows: ${value} is not a number to store`);
      return String(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'object':
      return value instanceof Date ? value.toISOString() : escape(JSON.stringify(value));
    default:
      throw new Error(`CopyRows: cannot store a ${typeof value}`);
  }
}

function escape(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (character) => ESCAPED[character]) : text;
}
