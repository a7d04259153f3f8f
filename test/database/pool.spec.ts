import { createTestDatabase, type TestDatabase } from '../support/test-database';

// A checked-out client whose backend dies must fail its queries, never crash the process: pg-pool
// does not listen for 'error' on a client while it is checked out (crash-recovery found this).
describe('createPool', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 3 });
  });
  afterAll(() => database.drop());

  it('survives the backend of a checked-out client being terminated, and serves the next query', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await database.pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const closed = new Promise((resolveClosed) => client.once('end', resolveClosed));
      await database.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await closed;
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();

      const after = await database.pool.query<{ one: number }>('SELECT 1 AS one');
      expect(after.rows[0].one).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
