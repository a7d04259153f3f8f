import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/database/project-root';
import { machineFacts } from './lib/machine';
import { profilerFor, type Profiler } from './lib/profiler';
import { postgresFacts, ResourceProbe, startBenchPostgres } from './lib/bench-postgres';
import { benchConfig, openBenchDatabase, startBenchApp, type BenchApp } from './lib/bench-app';
import { ACCOUNT_PREFIX, FULL, FUNDED_CREDITS, QUICK, type BenchContext } from './lib/context';
import { maxOtherCpuPct, renderReport, type BenchReport } from './lib/report';
import { failed, type BaselineResult, type ScenarioResult } from './lib/result';
import { round } from './lib/stats';
import { seedAccounts } from './lib/seed';
import { warmAccountStates } from './lib/warm-states';
import { analyticsHttp, ANALYTICS_HTTP_TARGET } from './scenarios/analytics-http';
import { coldLoad, COLD_LOAD_TARGET } from './scenarios/cold-load';
import { emmettBaseline } from './scenarios/emmett-baseline';
import { hotAccount, HOT_ACCOUNT_TARGET } from './scenarios/hot-account';
import { memory, MEMORY_TARGET } from './scenarios/memory';
import { projectorRebuild, PROJECTOR_REBUILD_TARGET } from './scenarios/projector-rebuild';
import {
  checkHttp,
  CHECK_HTTP_TARGET,
  judgeSpendHttp,
  spendHttp,
  SPEND_HTTP_TARGET,
} from './scenarios/spend-http';
import { bareHttp } from './scenarios/bare-http';
import { rawGroupAppendBaseline } from './scenarios/raw-group-append';
import {
  defaultStart,
  DEFAULT_START_TARGET,
  judgeDefaultStart,
  twoReplicas,
  TWO_REPLICAS_TARGET,
} from './scenarios/service-http';
import {
  judgeAgainstPlain,
  pairedCost,
  type PairedCost,
  warmUpHttp,
  QUOTE_HTTP_TARGET,
  quoteHttp,
  SPEND_BY_OPERATION_HTTP_TARGET,
  spendByOperationHttp,
} from './scenarios/priced-http';
import { spendInProcess, SPEND_INPROCESS_TARGET } from './scenarios/spend-inprocess';
import { spendHttpWebhooks, SPEND_HTTP_WEBHOOKS_TARGET } from './scenarios/webhooks-http';
import {
  naiveRowBaseline,
  prepareSqlBaselines,
  rawInsertBaseline,
} from './scenarios/sql-baselines';

const SCENARIOS = [
  'spend-inprocess',
  'spend-http',
  'check-http',
  'default-start',
  'two-replicas',
  'spend-by-operation-http',
  'quote-http',
  'hot-account',
  'cold-load',
  'projector-rebuild',
  'memory',
  'analytics-http',
  'spend-http-webhooks',
] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const USAGE = `usage: npm run bench [-- --quick] [-- --only=name,name] [-- --profile] [-- --out=path]
  --quick     short timed phases (about 2 minutes); the full run takes about 6 minutes
  --only      run only these scenarios (${SCENARIOS.join(', ')}); baselines come with spend-inprocess
              (raw-insert, naive-row, emmett, raw-group-append) and spend-http (bare-http)
  --profile   V8 CPU profile of each timed phase → bench/results/profiles/<phase>.cpuprofile (slows the run)
  --out       where to write the JSON (default bench/results/latest.json)`;

interface Args {
  quick: boolean;
  only: Set<ScenarioName> | null;
  profile: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    only: null,
    profile: false,
    out: join(projectRoot(), 'bench', 'results', 'latest.json'),
  };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').filter(Boolean);
      const unknown = names.filter((name) => !SCENARIOS.includes(name as ScenarioName));
      if (unknown.length > 0) throw new UsageError(`unknown scenario ${unknown.join(', ')}`);
      args.only = new Set(names as ScenarioName[]);
    } else if (arg.startsWith('--out=')) args.out = resolve(arg.slice('--out='.length));
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else throw new UsageError(`unknown option ${arg}`);
  }
  return args;
}

class UsageError extends Error {}

const runStarted = performance.now();
const log = (message: string) =>
  process.stderr.write(
    `[${((performance.now() - runStarted) / 1000).toFixed(1).padStart(6)} s] ${message}\n`,
  );

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const settings = args.quick ? QUICK : FULL;
  const wants = (name: ScenarioName) => args.only === null || args.only.has(name);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg().map((value) => round(value, 2));
  const started = performance.now();
  let benchPeakRss = process.memoryUsage().rss;
  const rssSampler = setInterval(
    () => (benchPeakRss = Math.max(benchPeakRss, process.memoryUsage().rss)),
    200,
  );
  rssSampler.unref();

  log(`bench (${settings.mode}): starting a fresh embedded PostgreSQL…`);
  const pg = await startBenchPostgres(log);
  const scenarios: ScenarioResult[] = [];
  let report: BenchReport;
  try {
    const config = benchConfig(pg.connectionString);
    const database = await openBenchDatabase(config);
    const facts = await postgresFacts(pg.connectionString);
    const machine = machineFacts(facts, pg.dataDir);
    log(
      `  PostgreSQL ${facts.version} in ${pg.dataDir} (fsync=${facts.settings.fsync}); pool ${config.databasePoolMax}`,
    );
    const profiler = profilerFor(args.profile);
    const context: BenchContext = {
      settings,
      pg,
      config,
      database,
      probe: new ResourceProbe(pg.connectionString, pg.clusterDir),
      profiler,
      log,
    };
    try {
      await seedAccounts(database.pool, {
        prefix: ACCOUNT_PREFIX,
        count: settings.accounts,
        credits: FUNDED_CREDITS,
        spendsPerAccount: 0,
      });
      await database.pool.query('VACUUM ANALYZE');
      log(`  seeded ${settings.accounts} funded accounts (bulk insert, one CreditsGranted each)`);

      // First: a fresh service process's projector replays the whole log before its load, and the
      // log is shortest now (the seeds). Judged against spend-http once it ran.
      if (wants('default-start'))
        scenarios.push(
          await step('default-start', DEFAULT_START_TARGET, () => defaultStart(context)),
        );
      if (wants('two-replicas'))
        scenarios.push(await step('two-replicas', TWO_REPLICAS_TARGET, () => twoReplicas(context)));

      const baselines: BaselineResult[] = [];
      const baselineFailures: string[] = [];
      if (wants('spend-inprocess')) {
        await prepareSqlBaselines(context);
        for (const [name, run] of [
          ['raw-insert', rawInsertBaseline],
          ['naive-row', naiveRowBaseline],
          ['emmett', emmettBaseline],
          ['raw-group-append', rawGroupAppendBaseline],
        ] as const) {
          log(`baseline ${name}…`);
          try {
            const baseline = await run(context);
            baselines.push(baseline);
            log(
              `  ${name}: ${baseline.opsPerSec}/s, p50 ${baseline.p50Ms} ms, p99 ${baseline.p99Ms} ms, errors ${baseline.errors}`,
            );
          } catch (error) {
            log(
              `  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
            );
            baselineFailures.push(
              `baseline ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }
      const rawInsert = baselines.find((baseline) => baseline.name === 'raw-insert')?.opsPerSec;

      const usesApp = [
        'spend-inprocess',
        'spend-http',
        'check-http',
        'spend-by-operation-http',
        'quote-http',
      ];
      if (usesApp.some((name) => wants(name as ScenarioName)) || wants('hot-account')) {
        let bench: BenchApp | null = null;
        try {
          bench = await startBenchApp(config, database);
        } catch (error) {
          log(
            `  the app did not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
          if (wants('spend-inprocess'))
            scenarios.push(failed('spend-inprocess', SPEND_INPROCESS_TARGET, error));
          if (wants('spend-http')) scenarios.push(failed('spend-http', SPEND_HTTP_TARGET, error));
          if (wants('check-http')) scenarios.push(failed('check-http', CHECK_HTTP_TARGET, error));
          if (wants('spend-by-operation-http'))
            scenarios.push(
              failed('spend-by-operation-http', SPEND_BY_OPERATION_HTTP_TARGET, error),
            );
          if (wants('quote-http')) scenarios.push(failed('quote-http', QUOTE_HTTP_TARGET, error));
          if (wants('hot-account'))
            scenarios.push(failed('hot-account', HOT_ACCOUNT_TARGET, error));
        }
        if (bench) {
          const app = bench;
          try {
            if (wants('spend-inprocess')) {
              const result = await step('spend-inprocess', SPEND_INPROCESS_TARGET, () =>
                spendInProcess(context, app, baselines),
              );
              result.notes.push(...baselineFailures);
              scenarios.push(result);
            }
            // Right before spend-http, on the same app and load: the issue compares the two, so
            // both run warm (else the first would pay for every cold load, the JIT, the pool).
            if (wants('spend-by-operation-http')) {
              log(
                '  warming the account states and the HTTP path for the priced/plain comparison…',
              );
              await warmAccountStates(app, ACCOUNT_PREFIX, settings.accounts);
              await warmUpHttp(context, app);
            }
            const priced = wants('spend-by-operation-http')
              ? await step('spend-by-operation-http', SPEND_BY_OPERATION_HTTP_TARGET, () =>
                  spendByOperationHttp(context, app),
                )
              : null;
            // Without spend-inprocess (whose warm-up fills the cache) or the priced warm-up above,
            // spend-http would pay for 10,000 cold loads that default-start (warm) does not.
            if (
              wants('spend-http') &&
              !wants('spend-inprocess') &&
              !wants('spend-by-operation-http')
            ) {
              log('  warming the account states for spend-http…');
              await warmAccountStates(app, ACCOUNT_PREFIX, settings.accounts);
            }
            if (wants('spend-http')) {
              const plain = await step('spend-http', SPEND_HTTP_TARGET, () =>
                spendHttp(context, app, rawInsert),
              );
              // Right after, same window: the HTTP ceiling the target is a share of.
              log('baseline bare-http…');
              try {
                const bare = await bareHttp(context, app);
                log(`  bare-http: ${bare.opsPerSec}/s, p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms`);
                judgeSpendHttp(plain, bare);
              } catch (error) {
                log(`  bare-http failed: ${String(error)}`);
                judgeSpendHttp(plain, null);
                plain.notes.push(`baseline bare-http failed: ${String(error)}`);
              }
              scenarios.push(plain);
            }
            if (wants('check-http'))
              scenarios.push(
                await step('check-http', CHECK_HTTP_TARGET, () => checkHttp(context, app)),
              );
            if (priced) {
              let paired: PairedCost | null = null;
              if (priced.available) {
                log('  paired phases for spend-by-operation-http (plain, priced, priced, plain)…');
                try {
                  paired = await pairedCost(context, app);
                } catch (error) {
                  priced.notes.push(`paired phases failed: ${String(error)}`);
                }
              }
              judgeAgainstPlain(
                priced,
                scenarios.find((scenario) => scenario.name === 'spend-http'),
                paired,
              );
              scenarios.push(priced);
            }
            if (wants('quote-http'))
              scenarios.push(
                await step('quote-http', QUOTE_HTTP_TARGET, () => quoteHttp(context, app)),
              );
            if (wants('hot-account'))
              scenarios.push(
                await step('hot-account', HOT_ACCOUNT_TARGET, () =>
                  hotAccount(context, app, rawInsert),
                ),
              );
          } finally {
            await app.close();
          }
        }
      }
      if (wants('spend-http-webhooks'))
        scenarios.push(
          await step('spend-http-webhooks', SPEND_HTTP_WEBHOOKS_TARGET, () =>
            spendHttpWebhooks(context),
          ),
        );
      // Before cold-load: the rebuild replays a log of many accounts, not mostly one 100,000-event stream.
      if (wants('projector-rebuild')) {
        scenarios.push(
          await step('projector-rebuild', PROJECTOR_REBUILD_TARGET, () =>
            projectorRebuild(context),
          ),
        );
      }
      if (wants('cold-load'))
        scenarios.push(await step('cold-load', COLD_LOAD_TARGET, () => coldLoad(context)));
      if (wants('memory'))
        scenarios.push(await step('memory', MEMORY_TARGET, () => memory(context)));
      // Last: it fills the analytics tables by SQL, which no other scenario reads.
      if (wants('analytics-http'))
        scenarios.push(
          await step('analytics-http', ANALYTICS_HTTP_TARGET, () => analyticsHttp(context)),
        );
    } finally {
      await profiler?.close();
      await database.close();
    }
    const defaultStarted = scenarios.find((scenario) => scenario.name === 'default-start');
    if (defaultStarted)
      judgeDefaultStart(
        defaultStarted,
        scenarios.find((scenario) => scenario.name === 'spend-http'),
      );
    if (profiler) attachProfiles(scenarios, profiler);
    benchPeakRss = Math.max(benchPeakRss, process.resourceUsage().maxRSS * 1024);
    report = {
      machine: {
        ...machine,
        run: {
          mode: settings.mode,
          command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
          startedAt: startedAt.toISOString(),
          seconds: round((performance.now() - started) / 1000, 1),
          concurrency: settings.concurrency,
          databasePoolMax: config.databasePoolMax,
          accountCacheMaxEntries: config.accountCacheMaxEntries,
          role: config.role,
          benchPeakRssMb: round(benchPeakRss / 2 ** 20, 1),
          partial: args.only !== null,
          loadAverageAtStart,
          maxOtherCpuPct: maxOtherCpuPct(scenarios),
          profiled: args.profile,
        },
      },
      scenarios: orderAsListed(scenarios),
    };
  } finally {
    log('stopping PostgreSQL and removing its data…');
    await pg.stop();
  }
  report.machine.run.seconds = round((performance.now() - started) / 1000, 1);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${renderReport(report)}\n\nwrote ${args.out}\n`);
  return scenarios.some((scenario) => !scenario.available && scenario.details.error !== undefined)
    ? 1
    : 0;

  async function step(
    name: ScenarioName,
    target: string,
    run: () => Promise<ScenarioResult>,
  ): Promise<ScenarioResult> {
    log(`scenario ${name}…`);
    const t0 = performance.now();
    try {
      const result = await run();
      const headline =
        name === 'memory'
          ? `peak RSS ${result.peakRssMb} MB`
          : `${result.opsPerSec ?? '–'}/s, p50 ${result.p50Ms ?? '–'} ms, p99 ${result.p99Ms ?? '–'} ms`;
      log(
        `  ${name}: ${result.available ? headline : result.notes.join('; ')} (${round((performance.now() - t0) / 1000, 1)} s)`,
      );
      return result;
    } catch (error) {
      log(
        `  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return failed(name, target, error);
    }
  }
}

function attachProfiles(scenarios: ScenarioResult[], profiler: Profiler): void {
  for (const scenario of scenarios) {
    const own = profiler.summaries[scenario.name];
    if (own) scenario.details.profile = own;
    const baselines = scenario.details.baselineDetails as
      Record<string, Record<string, unknown>> | undefined;
    for (const [name, detail] of Object.entries(baselines ?? {})) {
      if (profiler.summaries[name]) detail.profile = profiler.summaries[name];
    }
  }
}

function orderAsListed(results: ScenarioResult[]): ScenarioResult[] {
  return [...results].sort(
    (a, b) => SCENARIOS.indexOf(a.name as ScenarioName) - SCENARIOS.indexOf(b.name as ScenarioName),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      if (error.message) process.stderr.write(`${error.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
