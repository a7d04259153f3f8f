import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { rebuildProjections } from '../../projections/ops/rebuild';
import { PROJECTIONS } from '../../projections/registry';
import { ResourceProbe } from '../lib/bench-postgres';
import type { BenchContext } from '../lib/context';
import type { ScenarioResult } from '../lib/result';
import { round } from '../lib/stats';
import { countEvents, seedAccounts } from '../lib/seed';

export const PROJECTOR_REBUILD_TARGET = '≥ 20,000 events/s';
const REBUILD_EVENTS_PER_SECOND = 20_000;

/**
 * `projector-rebuild`: `ledger rebuild` as the CLI runs it (projections/ops/rebuild.ts,
 * rebuildProjections over every projection of the registry: side by side, one shared read of the
 * log, batch size as the CLI's default), over the whole log at that point of the run (after the
 * spend scenarios, before cold-load and memory add their bulk-loaded streams), topped up to at least `rebuildMinEvents`
 * with bulk-loaded accounts (a grant and three spends each). opsPerSec = events
 * in the log / wall time of the whole rebuild (every projection); per projection in details.
 */
export async function projectorRebuild(context: BenchContext): Promise<ScenarioResult> {
  const { settings } = context;
  const pool = context.database.pool;
  let events = await countEvents(pool);
  const notes: string[] = [];
  if (settings.rebuildMinEvents !== null && events < settings.rebuildMinEvents) {
    const perAccount = 4;
    const accounts = Math.ceil((settings.rebuildMinEvents - events) / perAccount);
    await seedAccounts(pool, {
      prefix: 'bench-log-',
      count: accounts,
      credits: 1_000,
      spendsPerAccount: perAccount - 1,
    });
    events = await countEvents(pool);
    notes.push(`log topped up with ${accounts.toLocaleString('en-US')} bulk-loaded accounts`);
  }
  if (events < 200_000)
    notes.push(
      `${settings.mode} mode: ${events.toLocaleString('en-US')} events, fewer than the 200,000 of a full run`,
    );
  await pool.query('VACUUM ANALYZE events');
  await context.probe.checkpoint();
  const eventStore = new PostgresEventStore(pool);
  const perProjection: Record<string, { events: number; seconds: number; eventsPerSec: number }> =
    {};
  let totalSeconds = 0;
  // As `ledger rebuild` runs them: side by side (own checkpoints and tables, one read of the log).
  const rebuildAll = async () => {
    const allStarted = performance.now();
    const results = await rebuildProjections(PROJECTIONS, {
      pool,
      connectionString: context.database.connectionString,
      eventStore,
      batchSize: settings.rebuildBatchSize,
      out: discard(),
      interactive: false,
    });
    results.forEach((result, index) => {
      const { name } = PROJECTIONS[index];
      if (result.mode !== 'replayed')
        throw new Error(`rebuild of ${name} was ${result.mode}, expected replayed`);
      perProjection[name] = {
        events: result.events,
        seconds: round(result.seconds, 2),
        eventsPerSec: round(result.events / result.seconds, 0),
      };
    });
    totalSeconds = (performance.now() - allStarted) / 1000;
  };
  const before = await context.probe.snapshot();
  if (context.profiler) await context.profiler.around('projector-rebuild', rebuildAll);
  else await rebuildAll();
  const after = await context.probe.snapshot();
  await sleep(1_200);
  const usage = {
    ...ResourceProbe.usage(before, after),
    walFsyncs: ResourceProbe.usage(before, await context.probe.snapshot()).walFsyncs,
  };
  const perEvent = (value: number | null) => (value === null ? null : round(value / events, 3));
  const opsPerSec = round(events / totalSeconds, 0);
  return {
    name: 'projector-rebuild',
    opsPerSec,
    p50Ms: null,
    p99Ms: null,
    baselines: {},
    available: true,
    target: { text: PROJECTOR_REBUILD_TARGET, met: opsPerSec >= REBUILD_EVENTS_PER_SECOND },
    errors: 0,
    rejected: null,
    notes: [
      `all ${PROJECTIONS.length} projections rebuilt side by side from one read of the log (as \`ledger rebuild\`), batch ${settings.rebuildBatchSize}; opsPerSec = log events / total time`,
      `per projection: ${Object.entries(perProjection)
        .map(([name, p]) => `${name} ${p.eventsPerSec.toLocaleString('en-US')}/s`)
        .join(', ')}`,
      ...notes,
    ],
    details: {
      logEvents: events,
      seconds: round(totalSeconds, 2),
      perProjection,
      // Per event of the log (each is applied once per projection).
      resources: {
        ...usage,
        writeTransactionsPerOp: perEvent(usage.writeTransactions),
        walBytesPerOp: perEvent(usage.walBytes),
        walFsyncsPerOp: perEvent(usage.walFsyncs),
      },
    },
  };
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}
