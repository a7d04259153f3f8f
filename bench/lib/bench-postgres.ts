import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres';

export interface BenchPostgres {
  connectionString: string;
  /** The temporary DATA_DIR (removed by stop). */
  dataDir: string;
  /** The cluster folder inside it (postmaster.pid lives here). */
  clusterDir: string;
  stop(): Promise<void>;
}

/**
 * One fresh embedded PostgreSQL for the whole run, in a new temporary DATA_DIR (under
 * BENCH_TMPDIR or the OS temp folder), with the server defaults: fsync and synchronous_commit on.
 * stop() shuts it down and deletes the folder; it is also wired to SIGINT/SIGTERM.
 */
export async function startBenchPostgres(log: (message: string) => void): Promise<BenchPostgres> {
  const parent = process.env.BENCH_TMPDIR ?? tmpdir();
  const dataDir = mkdtempSync(join(parent, 'ledger-bench-'));
  let embedded: EmbeddedDatabase | null = null;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await embedded?.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping PostgreSQL and removing ${dataDir}`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    embedded = await startEmbeddedPostgres(dataDir);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    connectionString: embedded.connectionString,
    dataDir,
    clusterDir: join(dataDir, 'pg'),
    stop,
  };
}

export interface PostgresFacts {
  version: string;
  settings: Record<string, string>;
}

export async function postgresFacts(connectionString: string): Promise<PostgresFacts> {
  return withClient(connectionString, async (client) => {
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]
      .server_version;
    const names = [
      'fsync',
      'synchronous_commit',
      'wal_sync_method',
      'full_page_writes',
      'commit_delay',
      'shared_buffers',
      'max_connections',
      'wal_level',
    ];
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`,
      [names],
    );
    const settings: Record<string, string> = {};
    for (const row of rows)
      settings[row.name] =
        row.unit && row.unit !== '' ? `${row.setting} (${row.unit})` : row.setting;
    return { version, settings };
  });
}

export async function withClient<T>(
  connectionString: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString, application_name: 'credits-ledger-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Counters read before and after a timed phase: what the database did per operation. */
export interface ResourceSnapshot {
  at: number;
  /** Busy CPU time of the whole machine (all processes, /proc/stat). */
  machineBusyMs: number | null;
  nodeCpuMs: number;
  /** CPU time so far of each PostgreSQL process (pid → ms). */
  postgresCpuMs: Map<number, number> | null;
  /** Next transaction id: the difference counts transactions that wrote (committed or not). */
  nextXid: bigint;
  walLsnBytes: bigint;
  /** WAL fsyncs from pg_stat_io (PostgreSQL 16+) or pg_stat_wal; flushed lazily by each backend. */
  walFsyncs: number | null;
  /** Rows each table has seen written so far (pg_stat_user_tables; published up to ~1 s late). */
  tableRows: Map<string, TableRowCounts>;
  /** Who each PostgreSQL process serves: its client's application_name, else its backend type. */
  postgresNames: Map<number, string>;
}

export interface TableRowCounts {
  inserted: number;
  updated: number;
  /** Updates that wrote no index entry (heap-only tuples): the cheap kind. */
  hotUpdated: number;
  deleted: number;
}

export interface ResourceUsage {
  /** CPU of this Node process, in % of one core (200 = both cores of a 2-core machine). */
  nodeCpuPct: number;
  postgresCpuPct: number | null;
  /** The whole machine's busy CPU: what is left after node and postgres is someone else's. */
  machineCpuPct: number | null;
  writeTransactions: number;
  walBytes: number;
  /** Approximate: the statistics of busy backends reach the shared counters up to ~1 s late. */
  walFsyncs: number | null;
  /** Per table with writes in the phase: what was written (statistics up to ~1 s late, as walFsyncs). */
  tableRows: Record<string, TableRowCounts>;
  /**
   * PostgreSQL's CPU by who it served (application_name: the API's pool, each projector, …), for
   * the processes alive at both snapshots; what exited in between is only in postgresCpuPct.
   */
  postgresCpuPctByName: Record<string, number> | null;
}

export class ResourceProbe {
  private readonly clockTicks = 100; // USER_HZ on Linux

  constructor(
    private readonly connectionString: string,
    private readonly clusterDir: string,
  ) {}

  /**
   * Before a timed phase: vacuums what earlier phases wrote, then flushes dirty buffers, so that
   * neither an autovacuum of their tables nor a scheduled checkpoint lands inside the phase. An
   * autovacuum of `events` after the seed once fell into spend-inprocess and wrote ≈ 11,000
   * full-page images there (twice the baseline's WAL per spend; docs/performance.md).
   */
  async checkpoint(): Promise<void> {
    await withClient(this.connectionString, async (client) => {
      await client.query('VACUUM');
      await client.query('CHECKPOINT');
    });
  }

  async snapshot(): Promise<ResourceSnapshot> {
    const cpu = process.cpuUsage();
    const { nextXid, walLsnBytes, walFsyncs, tableRows, postgresNames } = await withClient(
      this.connectionString,
      async (client) => {
        const row = (
          await client.query<{ xmax: string; lsn: string }>(
            `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax, (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`,
          )
        ).rows[0];
        return {
          nextXid: BigInt(row.xmax),
          walLsnBytes: BigInt(row.lsn.split('.')[0]),
          walFsyncs: await readWalFsyncs(client),
          tableRows: await readTableRows(client),
          postgresNames: await readPostgresNames(client),
        };
      },
    );
    return {
      at: Date.now(),
      machineBusyMs: machineBusyMs(),
      nodeCpuMs: (cpu.user + cpu.system) / 1000,
      postgresCpuMs: this.postgresCpuMs(),
      nextXid,
      walLsnBytes,
      walFsyncs,
      tableRows,
      postgresNames,
    };
  }

  static usage(before: ResourceSnapshot, after: ResourceSnapshot): ResourceUsage {
    const wallMs = Math.max(1, after.at - before.at);
    return {
      nodeCpuPct: Math.round(((after.nodeCpuMs - before.nodeCpuMs) / wallMs) * 100),
      postgresCpuPct:
        before.postgresCpuMs === null || after.postgresCpuMs === null
          ? null
          : Math.round((cpuSpent(before.postgresCpuMs, after.postgresCpuMs) / wallMs) * 100),
      machineCpuPct:
        before.machineBusyMs === null || after.machineBusyMs === null
          ? null
          : Math.round(((after.machineBusyMs - before.machineBusyMs) / wallMs) * 100),
      writeTransactions: Number(after.nextXid - before.nextXid),
      walBytes: Number(after.walLsnBytes - before.walLsnBytes),
      walFsyncs:
        before.walFsyncs === null || after.walFsyncs === null
          ? null
          : after.walFsyncs - before.walFsyncs,
      tableRows: tableRowsSpent(before.tableRows, after.tableRows),
      postgresCpuPctByName:
        before.postgresCpuMs === null || after.postgresCpuMs === null
          ? null
          : cpuPctByName(before.postgresCpuMs, after.postgresCpuMs, after.postgresNames, wallMs),
    };
  }

  /** utime + stime of the postmaster and each of its children (backends, WAL writer, checkpointer…). */
  private postgresCpuMs(): Map<number, number> | null {
    try {
      const pidFile = join(this.clusterDir, 'postmaster.pid');
      if (!existsSync(pidFile)) return null;
      const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      const byPid = new Map<number, number>();
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = readStat(entry);
        if (!stat) continue;
        const pid = Number(entry);
        if (pid === postmaster || stat.ppid === postmaster)
          byPid.set(pid, ((stat.utime + stat.stime) / this.clockTicks) * 1000);
        // Backends that exited (a rebuild's connections close before the phase's last snapshot)
        // are reaped by the postmaster: their CPU is its children's time, kept under its own key.
        if (pid === postmaster)
          byPid.set(-pid, ((stat.childUtime + stat.childStime) / this.clockTicks) * 1000);
      }
      return byPid;
    } catch {
      return null;
    }
  }
}

/**
 * CPU spent between two snapshots by PostgreSQL's processes: those alive at the second one (new
 * ones count from zero), plus what the ones reaped in between spent (the postmaster's children's
 * time, under its negated pid), less what those had spent before the first snapshot.
 */
function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += Math.max(0, ms - (before.get(pid) ?? 0));
  // A process alive before and reaped since: its whole time is in the reaped total, only the part
  // after the first snapshot belongs to the phase.
  for (const [pid, ms] of before) if (!after.has(pid)) spent -= ms;
  return Math.max(0, spent);
}

function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (USER_HZ ticks)
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return ((user + nice + system + irq + softirq + steal) / 100) * 1000;
  } catch {
    return null;
  }
}

function readStat(
  pid: string,
): { ppid: number; utime: number; stime: number; childUtime: number; childStime: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      utime: Number(fields[11]),
      stime: Number(fields[12]),
      childUtime: Number(fields[13]),
      childStime: Number(fields[14]),
    };
  } catch {
    return null;
  }
}

async function readTableRows(client: Client): Promise<Map<string, TableRowCounts>> {
  const { rows } = await client.query<{
    relname: string;
    ins: string;
    upd: string;
    hot: string;
    del: string;
  }>(
    `SELECT relname, n_tup_ins::text AS ins, n_tup_upd::text AS upd, n_tup_hot_upd::text AS hot,
            n_tup_del::text AS del
     FROM pg_stat_user_tables`,
  );
  return new Map(
    rows.map((row) => [
      row.relname,
      {
        inserted: Number(row.ins),
        updated: Number(row.upd),
        hotUpdated: Number(row.hot),
        deleted: Number(row.del),
      },
    ]),
  );
}

async function readPostgresNames(client: Client): Promise<Map<number, string>> {
  const { rows } = await client.query<{ pid: number; name: string }>(
    `SELECT pid, coalesce(nullif(application_name, ''), backend_type) AS name FROM pg_stat_activity`,
  );
  return new Map(rows.map((row) => [row.pid, row.name]));
}

function cpuPctByName(
  before: Map<number, number>,
  after: Map<number, number>,
  names: Map<number, string>,
  wallMs: number,
): Record<string, number> {
  const msByName = new Map<string, number>();
  for (const [pid, ms] of after) {
    const earlier = before.get(pid);
    if (earlier === undefined || pid < 0) continue;
    const name = names.get(pid) ?? 'postmaster';
    msByName.set(name, (msByName.get(name) ?? 0) + (ms - earlier));
  }
  const pct: Record<string, number> = {};
  for (const [name, ms] of [...msByName].sort(([, a], [, b]) => b - a))
    pct[name] = Math.round((ms / wallMs) * 1000) / 10;
  return pct;
}

function tableRowsSpent(
  before: Map<string, TableRowCounts>,
  after: Map<string, TableRowCounts>,
): Record<string, TableRowCounts> {
  const spent: Record<string, TableRowCounts> = {};
  for (const [table, counts] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    const earlier = before.get(table);
    const delta: TableRowCounts = {
      inserted: counts.inserted - (earlier?.inserted ?? 0),
      updated: counts.updated - (earlier?.updated ?? 0),
      hotUpdated: counts.hotUpdated - (earlier?.hotUpdated ?? 0),
      deleted: counts.deleted - (earlier?.deleted ?? 0),
    };
    if (delta.inserted > 0 || delta.updated > 0 || delta.deleted > 0) spent[table] = delta;
  }
  return spent;
}

async function readWalFsyncs(client: Client): Promise<number | null> {
  try {
    const io = await client.query<{ fsyncs: string | null }>(
      `SELECT sum(fsyncs)::text AS fsyncs FROM pg_stat_io WHERE object = 'wal'`,
    );
    if (io.rows[0]?.fsyncs != null) return Number(io.rows[0].fsyncs);
  } catch {
    // PostgreSQL before 18 keeps WAL syncs in pg_stat_wal.
  }
  try {
    const wal = await client.query<{ wal_sync: string }>(
      `SELECT wal_sync::text AS wal_sync FROM pg_stat_wal`,
    );
    return Number(wal.rows[0].wal_sync);
  } catch {
    return null;
  }
}
