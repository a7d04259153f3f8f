import type { MachineFacts } from './machine';
import type { ProfileSummary } from './profiler';
import type { ScenarioResult } from './result';

/** latest.json: exactly { machine, scenarios }; the run's own facts ride along in machine.run. */
export interface BenchReport {
  machine: MachineFacts & { run: RunFacts };
  scenarios: ScenarioResult[];
}

export interface RunFacts {
  mode: 'quick' | 'full';
  command: string;
  startedAt: string;
  seconds: number;
  concurrency: number;
  databasePoolMax: number;
  accountCacheMaxEntries: number;
  role: string;
  benchPeakRssMb: number;
  partial: boolean;
  /** /proc/loadavg (1, 5, 15 min) when the run started: other work on the machine skews the figures. */
  loadAverageAtStart: number[];
  maxOtherCpuPct: number | null;
  profiled: boolean;
}

const int = (value: number | null | undefined) =>
  value === null || value === undefined
    ? '–'
    : value < 10
      ? value.toFixed(2)
      : Math.round(value).toLocaleString('en-US');
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1);
const ratio = (value: number | null | undefined, base: number | undefined) =>
  value === null || value === undefined || !base ? '' : `${(value / base).toFixed(2)}×`;
const verdict = (scenario: ScenarioResult) =>
  !scenario.available
    ? 'n/a'
    : scenario.target.met === null
      ? '?'
      : scenario.target.met
        ? 'MET'
        : 'not met';

/** Plain-text columns, left-aligned text and right-aligned numbers. */
export function renderTable(
  headers: string[],
  rows: string[][],
  rightAligned: Set<number>,
): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

export function renderReport(report: BenchReport): string {
  const { machine } = report;
  const { run } = machine;
  const settings = machine.postgresSettings;
  const out: string[] = [];
  out.push(`credits-ledger bench (${run.mode}) — ${run.startedAt}`);
  out.push(
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`,
  );
  out.push(
    `PostgreSQL ${machine.postgres} (embedded, fresh temp DATA_DIR on ${machine.dataDirFileSystem}; fsync=${settings.fsync ?? '?'}, synchronous_commit=${settings.synchronous_commit ?? '?'}, wal_sync_method=${settings.wal_sync_method ?? '?'})`,
  );
  const busy = (run.maxOtherCpuPct ?? 0) >= 20;
  out.push(
    `machine load at start ${run.loadAverageAtStart.join(' / ')}; other processes took up to ${run.maxOtherCpuPct ?? '?'}% of a core during timed phases${busy ? ' — WARNING: the machine was busy, figures are skewed' : ''}`,
  );
  out.push(
    `write path: the real app with ROLE=${run.role} (no projector, no worker in the process); concurrency ${run.concurrency}; DATABASE_POOL_MAX ${run.databasePoolMax} (baselines use the same pool size); ACCOUNT_CACHE_MAX_ENTRIES ${run.accountCacheMaxEntries}`,
  );
  out.push('');

  const byName = new Map(report.scenarios.map((scenario) => [scenario.name, scenario]));
  const inprocess = byName.get('spend-inprocess');
  const raw = inprocess?.baselines['raw-insert'];
  const emmett = inprocess?.baselines.emmett;
  const rawGroup = inprocess?.baselines['raw-group-append'];
  const rows: string[][] = [];
  for (const scenario of report.scenarios) {
    const value = scenario.name === 'memory' ? null : scenario.opsPerSec;
    rows.push([
      scenario.name,
      scenario.name === 'memory' ? `${scenario.peakRssMb ?? '–'} MB` : int(value),
      ms(scenario.p50Ms),
      ms(scenario.p99Ms),
      headlineRatio(scenario, value),
      scenario.name === 'spend-inprocess' ? ratio(value, emmett) : '',
      scenario.errors === null ? '–' : String(scenario.errors),
      scenario.target.text,
      verdict(scenario),
    ]);
    if (scenario.name === 'spend-http' && scenario.baselines['bare-http']) {
      const bare = (
        scenario.details.baselineDetails as
          Record<string, { p50Ms: number | null; p99Ms: number | null; errors: number }> | undefined
      )?.['bare-http'];
      rows.push([
        '  baseline bare-http',
        int(scenario.baselines['bare-http']),
        ms(bare?.p50Ms),
        ms(bare?.p99Ms),
        '1.00× bare-http',
        '',
        String(bare?.errors ?? '–'),
        '',
        '',
      ]);
    }
    if (scenario.name === 'spend-inprocess') {
      for (const [name, ops] of Object.entries(scenario.baselines)) {
        const detail = (
          scenario.details.baselineDetails as
            | Record<string, { p50Ms: number | null; p99Ms: number | null; errors: number }>
            | undefined
        )?.[name];
        rows.push([
          `  baseline ${name}`,
          int(ops),
          ms(detail?.p50Ms),
          ms(detail?.p99Ms),
          rawGroup ? `${ratio(ops, rawGroup)} raw-group-append` : ratio(ops, raw),
          ratio(ops, emmett),
          String(detail?.errors ?? '–'),
          '',
          '',
        ]);
      }
    }
  }
  out.push(
    renderTable(
      [
        'scenario',
        'ops/s',
        'p50 ms',
        'p99 ms',
        'vs its ceiling',
        'vs emmett',
        'errors',
        'target',
        'met?',
      ],
      rows,
      new Set([1, 2, 3, 4, 5, 6]),
    ),
  );
  out.push('');

  const costRows = costTable(report.scenarios);
  if (costRows.length > 0) {
    out.push(
      'cost per operation in the timed phase (write transactions and WAL fsyncs from PostgreSQL counters; fsyncs ≈, published lazily; CPU in % of one core):',
    );
    out.push(
      renderTable(
        [
          'phase',
          'ops/s',
          'write tx/op',
          'WAL fsyncs/op',
          'WAL bytes/op',
          'node CPU %',
          'postgres CPU %',
          'load-gen CPU %',
          'other procs CPU %',
        ],
        costRows,
        new Set([1, 2, 3, 4, 5, 6, 7, 8]),
      ),
    );
    out.push('');
  }

  out.push('notes:');
  for (const scenario of report.scenarios) {
    for (const note of scenario.notes) out.push(`  ${scenario.name}: ${note}`);
  }
  out.push('');
  const profiled = report.scenarios.flatMap((scenario) => profilesOf(scenario));
  if (profiled.length > 0) {
    out.push('');
    out.push(
      'CPU profiles of the timed phases (self time; this process only — PostgreSQL and autocannon not included):',
    );
    for (const [name, profile] of profiled) {
      out.push(
        `  ${name} (${profile.file}): ${profile.byArea
          .slice(0, 8)
          .map((entry) => `${entry.area} ${entry.pct}%`)
          .join(', ')}`,
      );
      out.push(
        `    top: ${profile.topFunctions
          .slice(0, 6)
          .map((entry) => `${entry.fn} ${entry.pct}%`)
          .join('; ')}`,
      );
    }
  }
  out.push('');
  out.push(
    `run took ${Math.round(run.seconds)} s; bench process peak RSS ${run.benchPeakRssMb} MB${run.partial ? '; PARTIAL run (--only)' : ''}${run.profiled ? '; PROFILED run: figures not comparable' : ''}`,
  );
  return out.join('\n');
}

/** The ratio the scenario's target is stated in, e.g. "0.81× raw-group-append". */
function headlineRatio(scenario: ScenarioResult, value: number | null): string {
  const against: Record<string, string> = {
    'spend-inprocess': 'raw-group-append',
    'spend-http': 'bare-http',
    'default-start': 'spend-http',
    'two-replicas': 'one-replica',
    'hot-account': 'raw-insert',
  };
  const base = against[scenario.name];
  if (!base) return '';
  const shown = ratio(value, scenario.baselines[base]);
  return shown ? `${shown} ${base}` : '';
}

interface Resources {
  nodeCpuPct: number;
  machineCpuPct: number | null;
  clientCpuPct?: number;
  postgresCpuPct: number | null;
  writeTransactionsPerOp: number | null;
  walFsyncsPerOp: number | null;
  walBytesPerOp: number | null;
}

function profilesOf(scenario: ScenarioResult): Array<[string, ProfileSummary]> {
  const found: Array<[string, ProfileSummary]> = [];
  const baselines = scenario.details.baselineDetails as
    Record<string, { profile?: ProfileSummary }> | undefined;
  for (const [name, detail] of Object.entries(baselines ?? {}))
    if (detail.profile) found.push([name, detail.profile]);
  const own = scenario.details.profile as ProfileSummary | undefined;
  if (own) found.push([scenario.name, own]);
  return found;
}

/** Busy CPU of the machine not spent by the bench, its PostgreSQL or its load generator. */
function otherCpuPct(resources: Resources): number | null {
  if (resources.machineCpuPct === null || resources.postgresCpuPct === null) return null;
  return Math.max(
    0,
    resources.machineCpuPct -
      resources.nodeCpuPct -
      resources.postgresCpuPct -
      (resources.clientCpuPct ?? 0),
  );
}

/** The highest share of CPU other processes took during a timed phase (a busy machine skews everything). */
export function maxOtherCpuPct(scenarios: ScenarioResult[]): number | null {
  let max: number | null = null;
  const consider = (resources: Resources | undefined) => {
    const other = resources ? otherCpuPct(resources) : null;
    if (other !== null) max = Math.max(max ?? 0, other);
  };
  for (const scenario of scenarios) {
    consider(scenario.details.resources as Resources | undefined);
    const baselines = scenario.details.baselineDetails as
      Record<string, { resources?: Resources }> | undefined;
    for (const detail of Object.values(baselines ?? {})) consider(detail.resources);
  }
  return max;
}

function costTable(scenarios: ScenarioResult[]): string[][] {
  const rows: string[][] = [];
  const row = (name: string, ops: number | null, resources: Resources | undefined) => {
    if (!resources) return;
    rows.push([
      name,
      int(ops),
      resources.writeTransactionsPerOp?.toFixed(2) ?? '–',
      resources.walFsyncsPerOp?.toFixed(2) ?? '–',
      int(resources.walBytesPerOp),
      String(resources.nodeCpuPct),
      resources.postgresCpuPct === null ? '–' : String(resources.postgresCpuPct),
      resources.clientCpuPct === undefined ? '' : String(resources.clientCpuPct),
      otherCpuPct(resources) === null ? '–' : String(otherCpuPct(resources)),
    ]);
  };
  for (const scenario of scenarios) {
    if (scenario.name === 'spend-inprocess') {
      const baselines = scenario.details.baselineDetails as
        Record<string, { opsPerSec: number; resources?: Resources }> | undefined;
      for (const [name, detail] of Object.entries(baselines ?? {}))
        row(name, detail.opsPerSec, detail.resources);
    }
    row(scenario.name, scenario.opsPerSec, scenario.details.resources as Resources | undefined);
  }
  return rows;
}
