import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseLog } from './database-log';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { isRunning, processFacts, type ProcessFacts } from './process-table';

/**
 * Who started the PostgreSQL running on a DATA_DIR: written by the process that spawns it, in
 * DATA_DIR (never in the cluster folder, which belongs to the postgres user).
 */
export interface OwnerRecord {
  ownerPid: number;
  /** What the owner is (`credits-ledger-all`, `credits-ledger-cli-verify`), for messages. */
  ownerName: string;
  postmasterPid: number;
  port: number;
  clusterDir: string;
  startedAt: string;
}

export const OWNER_FILE = 'embedded-postgres.json';

/** What is running on a cluster, from its postmaster.pid and the owner record. */
export type RunningPostmaster =
  | { kind: 'none' }
  /** Started by a process that is alive: that process's database (the CLI may use it, the service may not). */
  | { kind: 'owned'; pid: number; port: number; owner: ProcessFacts; ownerName: string }
  /** Its starter died (kill -9, OOM) and it lives on, holding the cluster's lock and port. */
  | { kind: 'orphaned'; pid: number; port: number }
  /** Not started by this service (pg_ctl by hand, an older version): not ours to stop. */
  | { kind: 'foreign'; pid: number; port: number; parent: ProcessFacts | null };

export function writeOwnerRecord(dataDir: string, record: OwnerRecord): void {
  // 0600: it names the port; the password is the same for every embedded cluster anyway.
  writeFileSync(join(dataDir, OWNER_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the record if it is still about that postmaster (a newer start may have replaced it). */
export function removeOwnerRecord(dataDir: string, postmasterPid: number | undefined): void {
  if (readOwnerRecord(dataDir)?.postmasterPid === postmasterPid)
    rmSync(join(dataDir, OWNER_FILE), { force: true });
}

export function readOwnerRecord(dataDir: string): OwnerRecord | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

/**
 * Looks at the cluster's postmaster.pid (line 1 the pid, line 4 the port) and at the process it
 * names. A pid file whose process is gone, or is not a postgres (the pid was reused after a
 * reboot), is stale: it is removed, since PostgreSQL refuses to start while its pid is alive.
 */
export function findRunningPostmaster(dataDir: string, clusterDir: string): RunningPostmaster {
  const pidFile = join(clusterDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return { kind: 'none' };
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const postmaster = processFacts(pid);
  if (!postmaster || (postmaster.command !== '' && !/postgres/.test(postmaster.command))) {
    rmSync(pidFile, { force: true });
    return { kind: 'none' };
  }
  const record = readOwnerRecord(dataDir);
  const recorded = record?.postmasterPid === pid ? record : null;
  const parent = postmaster.ppid > 1 ? processFacts(postmaster.ppid) : null;
  if (recorded && parent && parent.pid === recorded.ownerPid) {
    return { kind: 'owned', pid, port, owner: parent, ownerName: recorded.ownerName };
  }
  // Re-parented to init (or to a sub-reaper) once its starter died: ours if the record says so.
  if (postmaster.ppid === 1 || (recorded && !isRunning(recorded.ownerPid)))
    return { kind: 'orphaned', pid, port };
  return { kind: 'foreign', pid, port, parent };
}

/** Poll interval while waiting for a process that is not our child (no exit event to wait on). */
const EXIT_POLL_MS = 100;
const ORPHAN_STEPS = [
  ['SIGINT', 30_000],
  ['SIGQUIT', 5_000],
  ['SIGKILL', 5_000],
] as const;

/**
 * Stops a PostgreSQL left running by a service that died: fast shutdown (SIGINT: it rolls back
 * what was in flight and writes a checkpoint), then immediate (SIGQUIT: crash recovery at the next
 * start), then SIGKILL, each bounded. Nothing committed is lost either way.
 */
export async function stopOrphanedPostmaster(pid: number, log: DatabaseLog): Promise<void> {
  for (const [signal, waitMs] of ORPHAN_STEPS) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone already
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isRunning(pid)) return;
      await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
    }
    if (!isRunning(pid)) return;
    log.warn(
      `the left-over embedded PostgreSQL (pid ${pid}) did not stop after ${signal} within ${waitMs / 1000} s`,
    );
  }
  throw new EmbeddedPostgresError(
    `The embedded PostgreSQL left running by a previous start (pid ${pid}) could not be stopped, even with SIGKILL; stop it by hand and start again.`,
  );
}
