import { Pool, types } from 'pg';

// bigint (int8) columns hold revisions, positions and credit totals; they always fit a JS number
// here (MAX_BALANCE_CREDITS), so parse them as numbers instead of strings.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export interface PoolOptions {
  connectionString: string;
  max: number;
  applicationName: string;
}

/** The one way this service opens PostgreSQL connections. */
export function createPool(options: PoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max,
    application_name: options.applicationName,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // pg-pool stops listening for a client's 'error' while it is checked out, and an 'error' event
  // nobody listens to kills the process. A checked-out client whose PostgreSQL dies (kill -9, a
  // restart, pg_terminate_backend) already fails its running and next queries, and pg-pool drops
  // it on release, so the event itself carries nothing left to handle.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
