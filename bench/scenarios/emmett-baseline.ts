import { isExpectedVersionConflictError, type Event } from '@event-driven-io/emmett';
import {
  getPostgreSQLEventStore,
  type PostgresEventStore,
} from '@event-driven-io/emmett-postgresql';
import { Pool, types } from 'pg';
import type { CommandContext } from '../../src/ledger/commands';
import { decide, evolve, initialState } from '../../src/ledger/decider';
import type { LedgerEvent } from '../../src/ledger/events';
import { streamIdFor } from '../../src/ledger/limits';
import type { LedgerState } from '../../src/ledger/state';
import { toLedgerEvent } from '../../src/ledger/upcast';
import { newId } from '../../src/shared/ids';
import { closedLoop, type OpOutcome } from '../lib/closed-loop';
import { ACCOUNT_PREFIX, FUNDED_CREDITS, type BenchContext } from '../lib/context';
import { measurePhase } from '../lib/phase';
import { phaseDetails, type BaselineResult } from '../lib/result';
import { round } from '../lib/stats';
import { accountIdOf } from '../lib/seed';
import { randomAccount } from './sql-baselines';

type EmmettEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;

const MAX_ATTEMPTS = 10;
const ACTOR = { kind: 'system', id: 'bench-emmett' } as const;
/** pg type oids Emmett's driver layer (dumbo) re-registers process-wide: int8, json, jsonb. */
const SHARED_TYPE_OIDS = [20, 114, 3802] as const;

/**
 * `emmett`: the same decider on @event-driven-io/emmett-postgresql's event store, used the way
 * Emmett's command handling does: aggregateStream (read the whole stream, fold it with our evolve),
 * our decide, appendToStream with the read version as expectedStreamVersion; on a version
 * conflict, read again and retry. No state cache: Emmett has none. Its own schema (emt_* tables,
 * created by schema.migrate()), its own pool of DATABASE_POOL_MAX connections, 10,000 accounts
 * funded through its appendToStream (one grant each) before the run.
 */
export async function emmettBaseline(context: BenchContext): Promise<BaselineResult> {
  const { settings } = context;
  const { store, pool } = openEmmett(context);
  let conflicts = 0;
  try {
    await store.schema.migrate();
    const funding = await closedLoop({
      concurrency: settings.concurrency,
      totalOps: settings.accounts,
      op: async (_worker, seq) => {
        const accountId = accountIdOf(ACCOUNT_PREFIX, seq + 1);
        const events = decideOrThrow(
          {
            kind: 'grant',
            blockId: newId('block'),
            credits: FUNDED_CREDITS,
            category: 'promotional',
            reason: 'adjustment',
          },
          initialState(),
        );
        await store.appendToStream(streamIdFor(accountId), events.map(toEmmett), {
          expectedStreamVersion: 0n,
        });
        return 'ok';
      },
    });
    if (funding.errors > 0)
      throw new Error(
        `funding Emmett's accounts failed ${funding.errors} times: ${funding.errorSample}`,
      );
    context.log(
      `  emmett: funded ${funding.ok} streams in ${funding.seconds} s (${funding.opsPerSec}/s)`,
    );

    const spendOnce = async (accountId: string): Promise<OpOutcome> => {
      const streamName = streamIdFor(accountId);
      for (let attempt = 1; ; attempt++) {
        const { state, currentStreamVersion } = await store.aggregateStream<
          LedgerState,
          EmmettEvent
        >(streamName, {
          evolve: (current: LedgerState, event: EmmettEvent) =>
            evolve(current, toLedgerEvent(event)),
          initialState: () => initialState(),
        });
        const spendId = newId('spend');
        const decision = decide(
          { kind: 'spend', spendId, credits: 1, description: 'bench spend' },
          state,
          contextNow(`bench-${spendId}`),
        );
        if (decision.kind === 'rejected' && decision.rejection.code === 'insufficient_credits')
          return 'rejected';
        if (decision.kind !== 'accepted') throw new Error(`spend not accepted: ${decision.kind}`);
        try {
          await store.appendToStream(streamName, decision.events.map(toEmmett), {
            expectedStreamVersion: currentStreamVersion,
          });
          return 'ok';
        } catch (error) {
          if (!isExpectedVersionConflictError(error) || attempt >= MAX_ATTEMPTS) throw error;
          conflicts += 1;
        }
      }
    };
    const phase = await measurePhase(context.probe, {
      concurrency: settings.concurrency,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      op: () => spendOnce(randomAccount(settings.accounts)),
      profile: { profiler: context.profiler, name: 'emmett' },
    });
    return {
      name: 'emmett',
      opsPerSec: phase.opsPerSec,
      p50Ms: phase.latency.p50Ms,
      p99Ms: phase.latency.p99Ms,
      errors: phase.errors,
      notes: conflicts > 0 ? [`${conflicts} version conflicts retried (warm-up included)`] : [],
      details: {
        ...phaseDetails(phase),
        conflictsRetried: conflicts,
        funding: {
          streams: funding.ok,
          seconds: funding.seconds,
          perSec: round(funding.opsPerSec, 1),
        },
      },
    };
  } finally {
    await store.close().catch(() => undefined);
    await pool.end();
  }
}

type TextParser = (value: string) => unknown;

/** pg's process-wide parser of a type (pg-types declares it as returning `any`). */
function pgParser(oid: number, format: 'text' | 'binary' = 'text'): TextParser {
  return types.getTypeParser(oid, format) as TextParser;
}

/**
 * Emmett's driver layer (dumbo) replaces the process-wide pg parsers of int8, json and jsonb the
 * first time a store is created (int8 → BigInt). The app reads int8 as a number
 * (src/database/pool.ts), so: let dumbo register its parsers, hand them to Emmett's own pool only
 * (pg's per-client `types`), and put the process-wide ones back as they were.
 */
function openEmmett(context: BenchContext): { store: PostgresEventStore; pool: Pool } {
  const ours = new Map(SHARED_TYPE_OIDS.map((oid) => [oid as number, pgParser(oid)]));
  const emmetts = new Map<number, TextParser>();
  const pool = new Pool({
    connectionString: context.pg.connectionString,
    max: context.config.databasePoolMax,
    application_name: 'bench-emmett',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        (format ?? 'text') === 'text' && emmetts.has(oid)
          ? emmetts.get(oid)
          : pgParser(oid, format)) as typeof types.getTypeParser,
    },
  });
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(context.pg.connectionString, {
    connectionOptions: { pool },
  });
  for (const [oid, parser] of ours) {
    emmetts.set(oid, pgParser(oid));
    types.setTypeParser(oid, 'text', parser);
  }
  return { store, pool };
}

function decideOrThrow(command: Parameters<typeof decide>[0], state: LedgerState): LedgerEvent[] {
  const decision = decide(command, state, contextNow(`bench-${newId('block')}`));
  if (decision.kind !== 'accepted')
    throw new Error(`${command.kind} not accepted: ${decision.kind}`);
  return decision.events;
}

function contextNow(correlationId: string): CommandContext {
  return { now: new Date(), correlationId, actor: ACTOR };
}

function toEmmett(event: LedgerEvent): EmmettEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as Record<string, unknown>,
  };
}
