import type { Pool } from 'pg';
import { SILENT_LOG, type DatabaseLog } from './database-log';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type EmbeddedHealth,
} from './embedded-postgres';
import { migrateToLatest } from './migrate';
import { createPool } from './pool';

export interface DatabaseOptions {
  /** Null: start the embedded PostgreSQL in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  poolMax: number;
  applicationName: string;
  log?: DatabaseLog;
  /** Embedded only: what to do when a live process already runs PostgreSQL on dataDir (see EmbeddedPostgresOptions). */
  whenRunning?: 'fail' | 'use';
}

/** An open, migrated database: the pool everyone shares, and how to close it. */
export class Database {
  private constructor(
    readonly pool: Pool,
    readonly connectionString: string,
    private readonly embedded: EmbeddedDatabase | null,
  ) {}

  static async open(options: DatabaseOptions): Promise<Database> {
    const log = options.log ?? SILENT_LOG;
    const embedded = options.databaseUrl
      ? null
      : await startEmbeddedPostgres(options.dataDir, {
          log,
          ownerName: options.applicationName,
          whenRunning: options.whenRunning ?? 'fail',
        });
    const connectionString = options.databaseUrl ?? embedded!.connectionString;
    try {
      await migrateToLatest(connectionString, (message) => log.debug(message));
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    const pool = createPool({
      connectionString,
      max: options.poolMax,
      applicationName: options.applicationName,
    });
    return new Database(pool, connectionString, embedded);
  }

  /**
   * The embedded PostgreSQL's state for /health/live: 'failed' once it died and could not be
   * restarted. Always up with DATABASE_URL: an external server's outages are readiness, not liveness.
   */
  health(): EmbeddedHealth {
    return this.embedded?.health() ?? { status: 'up' };
  }

  /** Ends the pool (its connections close cleanly), then stops the embedded PostgreSQL if this process started it. */
  async close(): Promise<void> {
    await this.pool.end();
    await this.embedded?.stop();
  }
}

export const DATABASE = Symbol('DATABASE');
