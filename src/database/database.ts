import type { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres';
import { migrateToLatest } from './migrate';
import { createPool } from './pool';

export interface DatabaseOptions {
  /** Null: start the embedded PostgreSQL in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  poolMax: number;
  applicationName: string;
  log?: (message: string) => void;
}

/** An open, migrated database: the pool everyone shares, and how to close it. */
export class Database {
  private constructor(
    readonly pool: Pool,
    readonly connectionString: string,
    private readonly embedded: EmbeddedDatabase | null,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    const log = options.log ?? (() => undefined);
    const embedded = options.databaseUrl ? null : await startEmbeddedPostgres(options.dataDir, log);
    const connectionString = options.databaseUrl ?? embedded!.connectionString;
    try {
      await migrateToLatest(connectionString, log);
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    const pool = createPool({ connectionString, max: options.poolMax, applicationName: options.applicationName });
    return new Database(pool, connectionString, embedded);
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.embedded?.stop();
  }
}

export const DATABASE = Symbol('DATABASE');
