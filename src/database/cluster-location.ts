import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmdirSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DatabaseLog } from './database-log';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';
import { describeFolder, firstBlockedFolder, type PostgresAccount } from './postgres-account';

/** Where an embedded cluster lives. */
export interface ClusterLocation {
  /** DATA_DIR, absolute: this service's files (the owner record) stay here whatever happens. */
  dataDir: string;
  /** The PostgreSQL data folder, real path (DATA_DIR/pg, or where DATA_DIR/pg links to). */
  clusterDir: string;
  /** Whether the cluster lives outside DATA_DIR because the postgres user cannot enter DATA_DIR. */
  relocated: boolean;
}

export const CLUSTER_FOLDER = 'pg';
/**
 * As root, when the `postgres` user cannot enter DATA_DIR (a project in root's home or in a
 * `mktemp -d` folder), the cluster lives here instead, one folder per DATA_DIR, and DATA_DIR/pg
 * is a symbolic link to it, so the data is found from DATA_DIR as before.
 */
export const RELOCATED_CLUSTERS_DIR = '/var/lib/credits-ledger/clusters';

/**
 * Creates DATA_DIR if needed and decides where the cluster lives: DATA_DIR/pg whenever PostgreSQL
 * can reach it (the data stays where the user asked), otherwise under RELOCATED_CLUSTERS_DIR.
 * Never changes the mode of a folder above DATA_DIR, and never moves an existing cluster.
 */
export function locateCluster(
  dataDirSetting: string,
  account: PostgresAccount | null,
  log: DatabaseLog,
): ClusterLocation {
  const dataDir = resolve(dataDirSetting);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new EmbeddedPostgresError(
      `DATA_DIR ${dataDir} could not be created (${reasonOf(error)}); point DATA_DIR at a folder this user can write.`,
      { cause: error },
    );
  }
  const link = join(dataDir, CLUSTER_FOLDER);
  if (isSymlink(link)) {
    const target = resolve(dataDir, readlinkSync(link));
    if (!existsSync(target)) {
      throw new EmbeddedPostgresError(
        `${link} links to ${target}, which does not exist (the embedded PostgreSQL's data was moved or deleted); restore it, or remove the link to start with an empty database.`,
      );
    }
    return { dataDir, clusterDir: realpathSync(target), relocated: true };
  }
  if (!account) return { dataDir, clusterDir: link, relocated: false };
  // The postgres user only needs to pass through DATA_DIR to its own cluster folder inside.
  const mode = statSync(dataDir).mode;
  if ((mode & 0o001) === 0) chmodSync(dataDir, (mode & 0o7777) | 0o001);
  const blocked = firstBlockedFolder(dataDir, account);
  if (!blocked) return { dataDir, clusterDir: link, relocated: false };
  if (existsSync(link) && readdirSync(link).length > 0) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${link} runs as the ${account.name} user, who cannot enter ${describeFolder(blocked)}; ` +
        `move the cluster out (mv ${link} ${relocatedFolder(dataDir)}/${CLUSTER_FOLDER} && ln -s ${relocatedFolder(dataDir)}/${CLUSTER_FOLDER} ${link}), or point DATA_DIR at a folder other users can enter.`,
    );
  }
  const parent = relocatedFolder(dataDir);
  try {
    mkdirSync(parent, { recursive: true });
    // Ours, whatever the umask: the postgres user passes through them to its cluster folder.
    for (const folder of [dirname(RELOCATED_CLUSTERS_DIR), RELOCATED_CLUSTERS_DIR, parent])
      chmodSync(folder, 0o755);
    if (existsSync(link)) rmdirSync(link); // an empty folder (checked above)
    symlinkSync(join(parent, CLUSTER_FOLDER), link);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(
      `The ${account.name} user cannot enter ${describeFolder(blocked)}, and the data could not be placed in ${parent} instead (${reasonOf(error)}); point DATA_DIR at a folder other users can enter.`,
      { cause: error },
    );
  }
  log.warn(
    `DATA_DIR ${dataDir} is closed to the ${account.name} user PostgreSQL runs as (${describeFolder(blocked)}): its data lives in ${parent}/${CLUSTER_FOLDER}, linked from ${link}`,
  );
  return { dataDir, clusterDir: join(parent, CLUSTER_FOLDER), relocated: true };
}

/** One folder per DATA_DIR: its name says which (the last part, readable) and is unique (a hash). */
export function relocatedFolder(dataDir: string): string {
  const readable = dataDir
    .split('/')
    .filter(Boolean)
    .slice(-2)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return join(RELOCATED_CLUSTERS_DIR, `${readable}-${hash}`);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
