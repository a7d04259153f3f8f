import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { locateCluster, type ClusterLocation } from './cluster-location';
import {
  findRunningPostmaster,
  removeOwnerRecord,
  stopOrphanedPostmaster,
  writeOwnerRecord,
} from './cluster-owner';
import { SILENT_LOG, type DatabaseLog } from './database-log';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';
import { initialiseCluster } from './initdb';
import { postgresAccount } from './postgres-account';
import { postgresRuntime } from './postgres-runtime';
import { Postmaster } from './postmaster';
import { PostmasterSupervisor, type EmbeddedHealth } from './postmaster-supervisor';

export type { EmbeddedHealth } from './postmaster-supervisor';

export interface EmbeddedDatabase {
  connectionString: string;
  /** Where the data is (DATA_DIR/pg, or where it links to). */
  clusterDir: string;
  /** Whether this process started the server (and stop() stops it) or uses another process's. */
  startedHere: boolean;
  health(): EmbeddedHealth;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  log?: DatabaseLog;
  /** Names this process in the owner record and in the error another start gets (`credits-ledger-all`). */
  ownerName?: string;
  /**
   * When a live process already runs PostgreSQL on this DATA_DIR: 'fail' (a second service must
   * not share it: it would stop under the first one's feet) or 'use' (the CLI: reads and repairs
   * on a live system go through the service's own server).
   */
  whenRunning?: 'fail' | 'use';
  /** See PostmasterOptions.ownProcessGroup. */
  ownProcessGroup?: boolean;
}

const SUPERUSER = 'postgres';
// The cluster only listens on loopback; the password keeps other local users out of it.
const PASSWORD = 'ledger-embedded';
const DATABASE_NAME = 'ledger';

/**
 * A real PostgreSQL (the binaries of the `embedded-postgres` package) with its data in
 * DATA_DIR/pg, created on first use. Each start takes a free loopback port, so instances with
 * different DATA_DIRs run side by side. Before starting, it looks at what already runs on the
 * cluster: a server left by a service that was killed is stopped (then started fresh), one that
 * belongs to a live process is used (CLI) or refused with its pid (service). While running, a
 * server that dies is restarted (PostmasterSupervisor). Every failure is an EmbeddedPostgresError
 * that says what and why, with PostgreSQL's own last lines.
 */
export async function startEmbeddedPostgres(
  dataDirSetting: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedDatabase> {
  const log = options.log ?? SILENT_LOG;
  const account = postgresAccount();
  const location = locateCluster(dataDirSetting, account, log);
  const inUse = await takeOverCluster(location, options, log);
  if (inUse) return inUse;
  const runtime = postgresRuntime(account, log);
  if (!existsSync(join(location.clusterDir, 'PG_VERSION'))) {
    await initialiseCluster({
      runtime,
      clusterDir: location.clusterDir,
      account,
      superuser: SUPERUSER,
      password: PASSWORD,
      log,
    });
  }
  const port = await findFreePort();
  const spawn = (): Postmaster => {
    const postmaster = Postmaster.spawn({
      runtime,
      clusterDir: location.clusterDir,
      port,
      account,
      log,
      ownProcessGroup: options.ownProcessGroup ?? true,
    });
    // Recorded at once: if this process is killed while PostgreSQL starts, the next start knows it was ours.
    if (postmaster.pid !== undefined) {
      writeOwnerRecord(location.dataDir, {
        ownerPid: process.pid,
        ownerName: options.ownerName ?? 'credits-ledger',
        postmasterPid: postmaster.pid,
        port,
        clusterDir: location.clusterDir,
        startedAt: new Date().toISOString(),
      });
    }
    return postmaster;
  };
  const first = spawn();
  try {
    await first.ready();
    await createDatabaseIfMissing(port);
  } catch (error) {
    await first.stop();
    removeOwnerRecord(location.dataDir, first.pid);
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${location.clusterDir} started but the ${DATABASE_NAME} database could not be prepared (${reasonOf(error)}).`,
      { cause: error },
    );
  }
  const serverVersion = readFileSync(join(location.clusterDir, 'PG_VERSION'), 'utf8').trim();
  log.info(
    `embedded PostgreSQL ${serverVersion} (pid ${first.pid}) ready on 127.0.0.1:${port}, data in ${location.clusterDir}`,
  );
  const supervisor = new PostmasterSupervisor(first, spawn, log);
  return {
    connectionString: connectionStringFor(port),
    clusterDir: location.clusterDir,
    startedHere: true,
    health: () => supervisor.health(),
    stop: async () => {
      await supervisor.stop();
      removeOwnerRecord(location.dataDir, supervisor.postmaster.pid);
    },
  };
}

/**
 * What already runs on the cluster decides: a server whose starter died is stopped (this start
 * then starts its own); one whose starter lives is used (whenRunning 'use': returned) or refused;
 * one this service did not start is refused. Nothing running: null.
 */
async function takeOverCluster(
  location: ClusterLocation,
  options: EmbeddedPostgresOptions,
  log: DatabaseLog,
): Promise<EmbeddedDatabase | null> {
  const running = findRunningPostmaster(location.dataDir, location.clusterDir);
  switch (running.kind) {
    case 'none':
      return null;
    case 'orphaned':
      log.warn(
        `an embedded PostgreSQL (pid ${running.pid}) is still running on ${location.clusterDir} after the process that started it died; stopping it before starting afresh`,
      );
      await stopOrphanedPostmaster(running.pid, log);
      return null;
    case 'owned':
      if (options.whenRunning === 'use')
        return useRunning(location, running.port, running.owner.pid, running.ownerName, log);
      throw new EmbeddedPostgresError(
        `DATA_DIR ${location.dataDir} is in use: its embedded PostgreSQL (pid ${running.pid}, port ${running.port}) belongs to ${running.ownerName} (pid ${running.owner.pid}), which is running; ` +
          'stop that process first, or give this one another DATA_DIR.',
      );
    case 'foreign':
      throw new EmbeddedPostgresError(
        `A PostgreSQL this service did not start (pid ${running.pid}, port ${running.port}${running.parent ? `, started by pid ${running.parent.pid}: ${running.parent.command || 'unknown'}` : ''}) is running on ${location.clusterDir}; ` +
          `stop it (kill -INT ${running.pid}) and start again.`,
      );
  }
}

function useRunning(
  location: ClusterLocation,
  port: number,
  ownerPid: number,
  ownerName: string,
  log: DatabaseLog,
): EmbeddedDatabase {
  log.info(
    `using the embedded PostgreSQL of ${ownerName} (pid ${ownerPid}) on port ${port}, data in ${location.clusterDir}`,
  );
  return {
    connectionString: connectionStringFor(port),
    clusterDir: location.clusterDir,
    startedHere: false,
    // Its owner watches and restarts it; here, a lost connection shows as failing queries.
    health: () => ({ status: 'up' }),
    stop: () => Promise.resolve(),
  };
}

function connectionStringFor(port: number, database = DATABASE_NAME): string {
  return `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function createDatabaseIfMissing(port: number): Promise<void> {
  const client = new Client({ connectionString: connectionStringFor(port, 'postgres') });
  client.on('error', () => undefined); // a connection lost while idle here is reported by the query
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DATABASE_NAME,
    ]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
