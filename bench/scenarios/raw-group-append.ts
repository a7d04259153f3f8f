import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../src/database/pool';
import { DEFAULT_GROUP_COMMIT } from '../../src/event-store/postgres/group-committer';
import { appendBatch, type BatchItem } from '../../src/event-store/postgres/postgres-batch-append';
import type { EventMetadata, NewEvent } from '../../src/event-store/event-store.port';
import { decide, evolve, initialState } from '../../src/ledger/decider';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import { timeOrderedUuid } from '../../src/shared/time-ordered-uuid';
import { randomInt } from '../lib/closed-loop';
import { FUNDED_CREDITS, type BenchContext } from '../lib/context';
import { measurePhase } from '../lib/phase';
import { phaseDetails, type BaselineResult } from '../lib/result';
import { accountIdOf, seedAccounts } from '../lib/seed';
import { round } from '../lib/stats';

const PREFIX = 'bench-raw-';

/**
 * `raw-group-append`: the storage ceiling for our event shape. The event a spend of one credit
 * writes (made by the real decider once, then copied with a fresh spend id, event id, time and
 * correlation id: the same JSON), appended by the service's own batch statement
 * (`appendBatch`: `UPDATE streams … WHERE revision = expected` + `INSERT INTO events`, same table,
 * same indexes, the revision check per stream) with NOTHING of the service around it: no Nest, no
 * command bus, no mailbox, no decide per spend, no state cache beyond each stream's last revision.
 * Grouping as the group committer does it: appends that arrive while up to
 * DEFAULT_GROUP_COMMIT.maxInFlight batches are being written go together in the next batch (one
 * stream once per batch), so the groups reach the size the same load reaches in the service
 * (reported next to the service's). Same pool size, same 64 workers, accounts of its own (10,000,
 * each funded by a grant as the others).
 */
export async function rawGroupAppendBaseline(context: BenchContext): Promise<BaselineResult> {
  const { settings } = context;
  await seedAccounts(context.database.pool, {
    prefix: PREFIX,
    count: settings.accounts,
    credits: FUNDED_CREDITS,
    spendsPerAccount: 0,
  });
  const template = spendTemplate();
  const pool = createPool({
    connectionString: context.pg.connectionString,
    max: context.config.databasePoolMax,
    applicationName: 'bench-raw-group-append',
  });
  try {
    const appender = new BareGroupAppender(pool, settings.accounts);
    const phase = await measurePhase(context.probe, {
      concurrency: settings.concurrency,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      profile: { profiler: context.profiler, name: 'raw-group-append' },
      op: async () => {
        await appender.append(template);
        return 'ok';
      },
    });
    return {
      name: 'raw-group-append',
      opsPerSec: phase.opsPerSec,
      p50Ms: phase.latency.p50Ms,
      p99Ms: phase.latency.p99Ms,
      errors: phase.errors,
      notes: [
        `mean group ${round(appender.appends / Math.max(1, appender.batches), 1)} appends per statement (${appender.batches} statements, warm-up included)`,
      ],
      details: {
        ...phaseDetails(phase),
        meanGroupSize: round(appender.appends / Math.max(1, appender.batches), 1),
        eventBytes: JSON.stringify(template.data).length + JSON.stringify(template.metadata).length,
      },
    };
  } finally {
    await pool.end();
  }
}

/** The CreditsSpent of a one-credit spend as the decider makes it (account and ids placeholders). */
function spendTemplate(): { type: string; data: Record<string, unknown>; metadata: EventMetadata } {
  const now = new Date();
  const context = { now, correlationId: 'bench', actor: { kind: 'system', id: 'bench' } } as const;
  const state = initialState();
  for (const event of accepted(
    decide(
      {
        kind: 'grant',
        blockId: 'block_template',
        credits: FUNDED_CREDITS,
        category: 'promotional',
        reason: 'adjustment',
        description: 'bench funding',
      },
      state,
      context,
    ),
  ))
    evolve(state, event);
  const [spent] = accepted(
    decide(
      { kind: 'spend', spendId: 'spend_template', credits: 1, description: 'bench spend' },
      state,
      context,
    ),
  );
  return spent as unknown as {
    type: string;
    data: Record<string, unknown>;
    metadata: EventMetadata;
  };
}

function accepted(decision: ReturnType<typeof decide>) {
  if (decision.kind !== 'accepted') throw new Error(`raw-group-append template: ${decision.kind}`);
  return decision.events;
}

interface Pending extends BatchItem {
  account: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** The group committer's batching, bare: a queue, a few batches in flight, one statement each. */
class BareGroupAppender {
  private readonly revisions: number[];
  private readonly busy: Uint8Array;
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  appends = 0;
  batches = 0;

  constructor(
    private readonly pool: Pool,
    private readonly accounts: number,
  ) {
    // Every seeded stream holds one event (its grant): revision 0.
    this.revisions = new Array<number>(accounts + 1).fill(0);
    this.busy = new Uint8Array(accounts + 1);
  }

  append(template: ReturnType<typeof spendTemplate>): Promise<void> {
    // One append per account at a time, as the service's per-account mailbox would have it.
    let account = 1 + randomInt(this.accounts);
    while (this.busy[account] === 1) account = 1 + randomInt(this.accounts);
    this.busy[account] = 1;
    const accountId = accountIdOf(PREFIX, account);
    const spendId = `spend_${randomUUID()}`;
    const event: NewEvent = {
      eventId: timeOrderedUuid(),
      type: template.type,
      data: {
        ...template.data,
        spendId,
        drawdown: [{ blockId: `block_${accountId}`, credits: 1 }],
      },
      metadata: {
        ...template.metadata,
        occurredAt: new Date().toISOString(),
        correlationId: `bench-${spendId}`,
      },
    };
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        account,
        streamId: `${STREAM_PREFIX}${accountId}`,
        expected: this.revisions[account],
        events: [event],
        resolve,
        reject,
      });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < DEFAULT_GROUP_COMMIT.maxInFlight && this.queue.length > 0) {
      // Streams are distinct (one append per account at a time); events ≤ the service's limit.
      const batch = this.queue.splice(0, DEFAULT_GROUP_COMMIT.maxEventsPerBatch);
      this.inFlight += 1;
      this.batches += 1;
      this.appends += batch.length;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const results = await appendBatch(this.pool, batch);
      results.forEach((result, index) => {
        const pending = batch[index];
        this.busy[pending.account] = 0;
        if (result.status === 'appended') {
          this.revisions[pending.account] = result.result.lastRevision;
          pending.resolve();
        } else pending.reject(new Error(`revision conflict on ${pending.streamId}`));
      });
    } catch (error) {
      for (const pending of batch) {
        this.busy[pending.account] = 0;
        pending.reject(error);
      }
    }
  }
}
