import type { Pool } from 'pg';
import type { CommandContext } from '../../src/ledger/commands';
import { decide, evolve, initialState } from '../../src/ledger/decider';
import type { LedgerEvent } from '../../src/ledger/events';
import { STREAM_PREFIX } from '../../src/ledger/limits';

/**
 * Fast bulk loading of ledger streams straight into the event store's tables (streams, events),
 * a few INSERT … SELECT statements per hundred thousand events instead of one append each.
 *
 * The events are not hand-written: the real decider produces one account's events (a grant, then
 * spends) with placeholders for the account id and for each spend's unique id; SQL copies them
 * per account, substituting the placeholders (gen_random_uuid() for spend and event ids). So every
 * seeded stream is exactly what the service would have written, revisions 0…n-1 in order.
 */
const ACCOUNT = 'ZQACCZQ';
const UNIQUE = 'ZQUIDZQ';
export const SEED_INSTANT = new Date(Date.now() - 3_600_000);

interface Template {
  type: string;
  data: string;
  metadata: string;
}

const SEED_CONTEXT: CommandContext = {
  now: SEED_INSTANT,
  correlationId: 'bench-seed',
  actor: { kind: 'system', id: 'bench-seed' },
};

/** A grant of `credits` then `spends` spends of one credit each, for the placeholder account. */
export function streamTemplate(credits: number, spends: number): Template[] {
  const state = initialState();
  const events: LedgerEvent[] = [];
  const run = (command: Parameters<typeof decide>[0]) => {
    const decision = decide(command, state, SEED_CONTEXT);
    if (decision.kind !== 'accepted')
      throw new Error(`seed template: ${command.kind} not accepted (${decision.kind})`);
    for (const event of decision.events) {
      evolve(state, event);
      events.push(event);
    }
  };
  run({
    kind: 'grant',
    blockId: `block_${ACCOUNT}`,
    credits,
    category: 'promotional',
    reason: 'adjustment',
    description: 'bench seed',
  });
  for (let i = 0; i < spends; i++)
    run({
      kind: 'spend',
      spendId: `spend_${UNIQUE}-${i}`,
      credits: 1,
      description: 'bench seed spend',
    });
  return events.map((event) => ({
    type: event.type,
    // Every spend gets its own id at insert time: `spend_<uuid>`.
    data: JSON.stringify(event.data).replace(new RegExp(`${UNIQUE}-\\d+`, 'g'), UNIQUE),
    metadata: JSON.stringify(event.metadata),
  }));
}

export function accountIdOf(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(6, '0')}`;
}

/**
 * Accounts `prefix000001` … `prefix<count>` (from `from`), each with the template's events, in
 * chunks of `chunk` accounts per statement (one transaction each).
 */
export async function seedAccounts(
  pool: Pool,
  options: {
    prefix: string;
    from?: number;
    count: number;
    credits: number;
    spendsPerAccount: number;
    chunk?: number;
  },
): Promise<number> {
  const template = streamTemplate(options.credits, options.spendsPerAccount);
  const chunk = options.chunk ?? 10_000;
  const first = options.from ?? 1;
  for (let start = first; start < first + options.count; start += chunk) {
    const end = Math.min(first + options.count - 1, start + chunk - 1);
    await pool.query(
      `WITH accounts AS (
         SELECT $1::text || lpad(n::text, 6, '0') AS acc FROM generate_series($2::int, $3::int) AS n
       ), new_streams AS (
         INSERT INTO streams (stream_id, revision) SELECT $4::text || acc, $5::bigint FROM accounts
       )
       INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       SELECT $4::text || a.acc, t.ord - 1, gen_random_uuid(), t.type,
              replace(replace(t.data, '${ACCOUNT}', a.acc), '${UNIQUE}', gen_random_uuid()::text)::jsonb,
              t.metadata::jsonb
       FROM accounts a CROSS JOIN unnest($6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS t (type, data, metadata, ord)
       ORDER BY a.acc, t.ord`,
      [
        options.prefix,
        start,
        end,
        STREAM_PREFIX,
        template.length - 1,
        template.map((t) => t.type),
        template.map((t) => t.data),
        template.map((t) => t.metadata),
      ],
    );
  }
  return options.count * template.length;
}

/** One account whose stream holds `events` events: a large grant, then spends of one credit. */
export async function seedLongStream(
  pool: Pool,
  accountId: string,
  events: number,
  chunk = 25_000,
): Promise<void> {
  const [grantEvent, spendEvent] = streamTemplate(1_000_000_000_000, 1);
  const streamId = `${STREAM_PREFIX}${accountId}`;
  const fill = (text: string) => text.replaceAll(ACCOUNT, accountId);
  await pool.query(`INSERT INTO streams (stream_id, revision) VALUES ($1, $2)`, [
    streamId,
    events - 1,
  ]);
  await pool.query(
    `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES ($1, 0, gen_random_uuid(), $2, $3::jsonb, $4::jsonb)`,
    [streamId, grantEvent.type, fill(grantEvent.data), fill(grantEvent.metadata)],
  );
  for (let from = 1; from < events; from += chunk) {
    const to = Math.min(events - 1, from + chunk - 1);
    await pool.query(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
       SELECT $1, n, gen_random_uuid(), $2, replace($3, '${UNIQUE}', gen_random_uuid()::text)::jsonb, $4::jsonb
       FROM generate_series($5::bigint, $6::bigint) AS n ORDER BY n`,
      [streamId, spendEvent.type, fill(spendEvent.data), fill(spendEvent.metadata), from, to],
    );
  }
}

export async function countEvents(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM events`);
  return Number(rows[0].n);
}
