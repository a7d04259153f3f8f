import { spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { PostgresOutput, quoteOutput, type DatabaseLog } from './database-log';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';
import type { PostgresAccount } from './postgres-account';
import type { PostgresRuntime } from './postgres-runtime';

export interface InitdbOptions {
  runtime: PostgresRuntime;
  clusterDir: string;
  account: PostgresAccount | null;
  superuser: string;
  password: string;
  log: DatabaseLog;
}

/** initdb takes a few seconds; a minute means something is wrong (a full disk, a hung filesystem). */
const INITDB_TIMEOUT_MS = 120_000;

/**
 * Creates the cluster (initdb) in a sibling staging folder and renames it into place when
 * complete, so a start interrupted half-way (kill -9, power loss) leaves no half-made cluster that
 * the next start would take for a real one; the next start simply initialises again.
 */
export async function initialiseCluster(options: InitdbOptions): Promise<void> {
  const { clusterDir, account, log } = options;
  if (existsSync(clusterDir)) {
    if (readdirSync(clusterDir).length > 0) {
      throw new EmbeddedPostgresError(
        `${clusterDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away so a new cluster can be created there.`,
      );
    }
    rmdirSync(clusterDir);
  }
  const staging = `${clusterDir}.initdb`;
  const passwordFile = `${clusterDir}.initdb-password`;
  rmSync(staging, { recursive: true, force: true }); // a previous start's, interrupted
  try {
    mkdirSync(staging, { mode: 0o700 });
    writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (account) {
      chownSync(staging, account.uid, account.gid);
      chownSync(passwordFile, account.uid, account.gid);
    }
    log.info(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await runInitdb(options, staging, passwordFile);
    renameSync(staging, clusterDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL cluster could not be created in ${clusterDir} (${reasonOf(error)}).`,
      { cause: error },
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function runInitdb(options: InitdbOptions, staging: string, passwordFile: string): Promise<void> {
  const output = new PostgresOutput(options.log, 'initdb: ');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      options.runtime.initdb,
      [
        `--pgdata=${staging}`,
        '--auth=password',
        `--username=${options.superuser}`,
        `--pwfile=${passwordFile}`,
        // English messages whatever the machine's language: start-up waits for one of them.
        '--lc-messages=C',
      ],
      {
        // A folder the postgres user can enter: PostgreSQL programs fail in a working folder they cannot read.
        cwd: dirname(staging),
        ...(options.account ? { uid: options.account.uid, gid: options.account.gid } : {}),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), INITDB_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => output.feed(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.feed(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new EmbeddedPostgresError(
          `initdb (${options.runtime.initdb}) could not be run (${reasonOf(error)}).`,
          { cause: error },
        ),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const how = signal
        ? `was stopped by ${signal}${signal === 'SIGKILL' ? ` (no answer within ${INITDB_TIMEOUT_MS / 1000} s?)` : ''}`
        : `exited with code ${code}`;
      reject(
        new EmbeddedPostgresError(
          `initdb ${how} while creating the embedded PostgreSQL cluster in ${options.clusterDir}.${quoteOutput(output.recent())}`,
        ),
      );
    });
  });
}
