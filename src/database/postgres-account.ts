import { execFileSync } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { dirname, parse } from 'node:path';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';

/** The system user PostgreSQL runs as when the service runs as root (PostgreSQL refuses root). */
export interface PostgresAccount {
  name: string;
  uid: number;
  gid: number;
  /** Every group it is in (its primary one included): what a folder's group bits apply to. */
  groups: number[];
}

const ACCOUNT_NAME = 'postgres';
const ID_TIMEOUT_MS = 10_000;

/**
 * As root: the `postgres` account, created (a system user, no home, no login) when missing.
 * Otherwise null: PostgreSQL runs as the current user.
 */
export function postgresAccount(): PostgresAccount | null {
  if (process.getuid?.() !== 0) return null;
  return lookUp() ?? create();
}

function lookUp(): PostgresAccount | null {
  try {
    const id = (flag: string) =>
      execFileSync('id', [flag, ACCOUNT_NAME], {
        encoding: 'utf8',
        timeout: ID_TIMEOUT_MS,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const uid = Number(id('-u'));
    const gid = Number(id('-g'));
    const groups = id('-G').split(/\s+/).map(Number).filter(Number.isInteger);
    return Number.isInteger(uid) && Number.isInteger(gid)
      ? { name: ACCOUNT_NAME, uid, gid, groups: [...new Set([gid, ...groups])] }
      : null;
  } catch {
    return null;
  }
}

function create(): PostgresAccount {
  try {
    execFileSync('groupadd', ['--system', ACCOUNT_NAME], { timeout: ID_TIMEOUT_MS, stdio: 'pipe' });
  } catch {
    // the group may exist without the user; useradd says so if it really cannot go on
  }
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--gid',
        ACCOUNT_NAME,
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        ACCOUNT_NAME,
      ],
      { timeout: ID_TIMEOUT_MS, stdio: 'pipe' },
    );
  } catch (error) {
    const said = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new EmbeddedPostgresError(
      `The service runs as root and PostgreSQL refuses to, so the embedded PostgreSQL needs a "${ACCOUNT_NAME}" system user, which could not be created (${said || reasonOf(error)}); ` +
        `create it (useradd --system ${ACCOUNT_NAME}) or run the service as a regular user.`,
      { cause: error },
    );
  }
  const created = lookUp();
  if (!created)
    throw new EmbeddedPostgresError(
      `The "${ACCOUNT_NAME}" system user was created but cannot be looked up (id ${ACCOUNT_NAME} fails); check the system's user database.`,
    );
  return created;
}

/**
 * The first folder on the way to `path` (itself included) that `account` may not enter, or null
 * when it can reach it. Follows symbolic links first: what matters is the real path. Conservative:
 * ACLs are not read, so it may say no where an ACL would allow (the caller then copies or moves).
 */
export function firstBlockedFolder(path: string, account: PostgresAccount): string | null {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null; // does not exist yet: the caller creates it where it is reachable
  }
  const folders: string[] = [];
  for (let folder = real; ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (folder === parse(folder).root) break;
  }
  for (const folder of folders) {
    const stat = statSync(folder);
    if (!stat.isDirectory()) continue;
    const bit =
      stat.uid === account.uid ? 0o100 : account.groups.includes(stat.gid) ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return folder;
  }
  return null;
}

/** `/root (mode 0700, owner uid 0)`: why a folder is closed, for messages. */
export function describeFolder(folder: string): string {
  const stat = statSync(folder);
  return `${folder} (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${stat.uid})`;
}
