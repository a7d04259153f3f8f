import { JsonRows } from '../../src/database/json-rows';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

interface Row {
  id: string | null;
  count: number | null;
  small: number;
  flag: boolean | null;
  day: string | null;
  at: string | null;
  uid: string | null;
  doc: unknown;
}

const ROWS = new JsonRows<Row>(
  'id text, count bigint, small integer, flag boolean, day date, at timestamptz, uid uuid, doc jsonb',
  (row) => [row.id, row.count, row.small, row.flag, row.day, row.at, row.uid, row.doc],
);

// Every projection writes its rows through JsonRows: what goes in must come out, value for value
// and type for type, as json_to_recordset gave it (a JSON null is SQL NULL, jsonb included).
describe('JsonRows', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 2 });
  });
  afterAll(() => database.drop());

  async function roundTrip(rows: Row[]) {
    const { rows: read } = await database.pool.query<Record<string, unknown>>(
      `SELECT id, count, small, flag, day::text AS day, at, uid, doc,
              pg_typeof(count)::text AS count_type, pg_typeof(doc)::text AS doc_type
       FROM ${ROWS.from('$1')}`,
      [ROWS.parameter(rows)],
    );
    return read;
  }

  it('reads back text with quotes, backslashes, control characters and non-BMP text, and every typed column', async () => {
    const text = 'a "quoted" \\ back\nslash\ttab \u0001 é 💳 {curly,comma} NULL';
    const [row] = await roundTrip([
      {
        id: text,
        count: 9_007_199_254_740_991,
        small: -7,
        flag: true,
        day: '2026-03-02',
        at: '2026-03-02T10:11:12.345Z',
        uid: '7d3f7c1e-8f0a-4b55-9d2b-0f6c8e1a2b3c',
        doc: { spendId: 'sp-1', drawdown: [{ blockId: 'b "1"', credits: 5 }], note: text },
      },
    ]);
    expect(row).toEqual({
      id: text,
      count: 9_007_199_254_740_991,
      small: -7,
      flag: true,
      day: '2026-03-02',
      at: new Date('2026-03-02T10:11:12.345Z'),
      uid: '7d3f7c1e-8f0a-4b55-9d2b-0f6c8e1a2b3c',
      doc: { spendId: 'sp-1', drawdown: [{ blockId: 'b "1"', credits: 5 }], note: text },
      count_type: 'bigint',
      doc_type: 'jsonb',
    });
  });

  it('reads a JSON null, and an undefined value, as SQL NULL in every column; a JSON string stays a jsonb string', async () => {
    const rows = await roundTrip([
      { id: null, count: null, small: 0, flag: null, day: null, at: null, uid: null, doc: null },
      { id: 'x', count: 1, small: 1, flag: false, day: null, at: null, uid: null, doc: undefined },
      { id: 'y', count: 2, small: 2, flag: false, day: null, at: null, uid: null, doc: 'a string' },
    ]);
    expect(
      rows.map((row) => [row.id, row.count, row.flag, row.day, row.at, row.uid, row.doc]),
    ).toEqual([
      [null, null, null, null, null, null, null],
      ['x', 1, false, null, null, null, null],
      ['y', 2, false, null, null, null, 'a string'],
    ]);
  });

  it('keeps the rows in their order, and reads no rows from an empty list', async () => {
    const many = Array.from({ length: 1_000 }, (_, index) => ({
      id: `acc-${index}`,
      count: index,
      small: index,
      flag: index % 2 === 0,
      day: null,
      at: null,
      uid: null,
      doc: { index },
    }));
    const read = await roundTrip(many);
    expect(read.map((row) => row.id)).toEqual(many.map((row) => row.id));
    expect(await roundTrip([])).toEqual([]);
  });

  it('refuses a row of the wrong width, and a column it cannot read', () => {
    const short = new JsonRows<number>('a text, b bigint', (value) => [value]);
    expect(() => short.parameter([1])).toThrow('a row of 1 values for 2 columns');
    expect(() => new JsonRows('a numeric', () => [])).toThrow('bad column "a numeric"');
    expect(() => new JsonRows('a text extra', () => [])).toThrow('bad column');
    expect(() => new JsonRows('"a" text', () => [])).toThrow('bad column');
  });
});
