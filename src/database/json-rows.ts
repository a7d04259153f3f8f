/**
 * Many rows as ONE query parameter: a JSON array of positional arrays (one native JSON.stringify,
 * where pg would escape an array literal per column element by element), turned back into a
 * relation in SQL by `json_array_elements` and one cast per column.
 *
 * Why not `json_to_recordset`, which did this before: PostgreSQL spent ≈ 42 µs of CPU per history
 * row in it, 25 of them turning the row's nested `detail` object into a jsonb column; the same rows
 * read this way cost ≈ 12 µs (docs/performance.md, "Round two, 2026-12-01"). The projections'
 * upserts go through here; plain inserts of many rows (the history) go by COPY (copy-rows.ts). No
 * limit of its own: callers bound their rows (a projector's batch, the outbox's 2,000 per
 * statement, a mint's 1,000 codes).
 *
 *   const ROWS = new JsonRows<Row>('account_id text, credits bigint', (row) => [row.id, row.credits]);
 *   await client.query(`INSERT INTO t (account_id, credits) SELECT * FROM ${ROWS.from('$1')}`, [ROWS.parameter(rows)]);
 *
 * A JSON null (or undefined) reads as SQL NULL in every column, jsonb included, as
 * json_to_recordset did.
 */
export class JsonRows<Row> {
  private readonly columns: ReadonlyArray<{ name: string; type: JsonRowType }>;
  private readonly select: string;

  /**
   * @param columns `name type, …` in the order `values` gives them; types: text, bigint, integer,
   *   boolean, date, timestamptz, uuid, jsonb.
   */
  constructor(
    columns: string,
    private readonly values: (row: Row) => readonly unknown[],
  ) {
    this.columns = columns.split(',').map((column) => {
      const [name, type, ...rest] = column.trim().split(/\s+/);
      if (!/^[a-z_][a-z0-9_]*$/.test(name ?? '') || rest.length > 0 || !isJsonRowType(type))
        throw new Error(
          `JsonRows: bad column "${column.trim()}" (name and one of ${TYPES.join(', ')})`,
        );
      return { name, type };
    });
    this.select = this.columns
      .map(({ name, type }, index) => `${read(index, type)} AS ${name}`)
      .join(', ');
  }

  /** A FROM item: the rows of `parameter` (e.g. `$1`) with the columns' names and types. */
  from(parameter: string, alias = 'r'): string {
    return `(SELECT ${this.select} FROM json_array_elements(${parameter}::json) AS e) AS ${alias}`;
  }

  /** The parameter's value: each row's values, in the columns' order. */
  parameter(rows: Iterable<Row>): string {
    const arrays: Array<readonly unknown[]> = [];
    for (const row of rows) {
      const values = this.values(row);
      // A row of the wrong width would shift every later column: a programming error, caught here.
      if (values.length !== this.columns.length)
        throw new Error(
          `JsonRows: a row of ${values.length} values for ${this.columns.length} columns`,
        );
      arrays.push(values);
    }
    return JSON.stringify(arrays);
  }
}

const TYPES = [
  'text',
  'bigint',
  'integer',
  'boolean',
  'date',
  'timestamptz',
  'uuid',
  'jsonb',
] as const;
type JsonRowType = (typeof TYPES)[number];

function isJsonRowType(type: string | undefined): type is JsonRowType {
  return (TYPES as readonly string[]).includes(type ?? '');
}

/** The SQL reading element `index` of the row array `e` as `type`. */
function read(index: number, type: JsonRowType): string {
  if (type === 'text') return `e->>${index}`;
  // `->` keeps the JSON value (a string stays a string); its JSON null is SQL NULL, as a missing value.
  if (type === 'jsonb') return `NULLIF((e->${index})::jsonb, 'null'::jsonb)`;
  return `(e->>${index})::${type}`;
}
