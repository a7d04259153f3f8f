import { CopyRows } from '../../src/database/copy-rows';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

interface Row {
  id: number;
  label: string | null;
  count: number | bigint | null;
  flag: boolean | null;
  at: string | Date | null;
  doc: unknown;
}

const ROWS = new CopyRows<Row>(
  'copy_probe',
  ['id', 'label', 'count', 'flag', 'at', 'doc'],
  (row) => [row.id, row.label, row.count, row.flag, row.at, row.doc],
);

// The history projection writes every event's row through CopyRows: what goes in must come out,
// value for value, whatever the text holds (the text format gives tabs, line ends and backslashes
// a meaning), and a batch that breaks a constraint stores nothing.
describe('CopyRows', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 2 });
    await database.pool.query(
      `CREATE TABLE copy_probe (id integer PRIMARY KEY, label text, count bigint, flag boolean,
                                at timestamptz, doc jsonb)`,
    );
  });
  afterAll(() => database.drop());
  beforeEach(() => database.pool.query('TRUNCATE copy_probe'));

  /** On a connection of its own: a COPY streams over the connection that started it. */
  async function insert(rows: Row[]): Promise<number> {
    const client = await database.pool.connect();
    try {
      return await ROWS.insert(client, rows);
    } finally {
      client.release();
    }
  }

  async function stored() {
    const { rows } = await database.pool.query<Record<string, unknown>>(
      `SELECT id, label, count::text AS count, flag, at, doc FROM copy_probe ORDER BY id`,
    );
    return rows;
  }

  it('stores text with tabs, line ends, backslashes, the end marker and non-BMP text as it is', async () => {
    const tricky = [
      'a\ttab',
      'line\nend',
      'carriage\r\nreturn',
      'back\\slash \\N \\t',
      '\\.',
      'é 💳 "quoted" {curly,comma}',
      '',
      'NULL',
    ];
    const rows: Row[] = tricky.map((label, index) => ({
      id: index,
      label,
      count: null,
      flag: null,
      at: null,
      doc: { label, nested: [label, null, 1.5] },
    }));
    expect(await insert(rows)).toBe(tricky.length);

    const read = await stored();
    expect(read.map((row) => row.label)).toEqual(tricky);
    expect(read.map((row) => row.doc)).toEqual(
      tricky.map((label) => ({ label, nested: [label, null, 1.5] })),
    );
  });

  it('stores nulls, numbers, bigints, booleans and instants in their columns', async () => {
    await insert([
      { id: 1, label: null, count: null, flag: null, at: null, doc: null },
      {
        id: 2,
        label: 'x',
        count: Number.MAX_SAFE_INTEGER,
        flag: true,
        at: '2026-03-01T12:00:00.123Z',
        doc: {},
      },
      {
        id: 3,
        label: 'y',
        count: -(2n ** 62n),
        flag: false,
        at: new Date('2026-03-02T00:00:00.000Z'),
        doc: [],
      },
    ]);
    expect(await stored()).toEqual([
      { id: 1, label: null, count: null, flag: null, at: null, doc: null },
      {
        id: 2,
        label: 'x',
        count: String(Number.MAX_SAFE_INTEGER),
        flag: true,
        at: new Date('2026-03-01T12:00:00.123Z'),
        doc: {},
      },
      {
        id: 3,
        label: 'y',
        count: String(-(2n ** 62n)),
        flag: false,
        at: new Date('2026-03-02T00:00:00.000Z'),
        doc: [],
      },
    ]);
  });

  it('stores nothing of a batch with a row that breaks a constraint, and the connection goes on', async () => {
    const row = (id: number): Row => ({ id, label: 'r', count: 1, flag: true, at: null, doc: {} });
    await insert([row(1)]);
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await expect(ROWS.insert(client, [row(2), row(1), row(3)])).rejects.toMatchObject({
        code: '23505',
      });
      await client.query('ROLLBACK');
      expect(await ROWS.insert(client, [row(4)])).toBe(1);
    } finally {
      client.release();
    }
    expect((await stored()).map((stored) => stored.id)).toEqual([1, 4]);
  });

  it('refuses what it cannot write faithfully: a wrong width, a non-finite number, a bad name', async () => {
    const wrongWidth = new CopyRows<Row>('copy_probe', ['id', 'label'], (row) => [row.id]);
    expect(() => wrongWidth.text([{ id: 1 } as Row])).toThrow('a row of 1 values for 2 columns');
    expect(() =>
      ROWS.text([{ id: 1, label: null, count: Number.NaN, flag: null, at: null, doc: null }]),
    ).toThrow('NaN is not a number to store');
    expect(() => new CopyRows<Row>('copy_probe; DROP', ['id'], () => [])).toThrow('bad name');
    expect(await insert([])).toBe(0);
  });
});
