import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { NewEvent } from '../../src/event-store/event-store.port';
import {
  GroupCommitter,
  type GroupCommitOptions,
} from '../../src/event-store/postgres/group-committer';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * One append whose data PostgreSQL refuses must fail alone: the appends of other streams that
 * happen to share its batch statement are written as if it had never been there (issue 11).
 * The committer is driven directly, past every validation in front of it, so these payloads reach
 * PostgreSQL the way a validation gap would let them.
 */

function newEvent(data: Record<string, unknown> = { n: 1 }): NewEvent {
  return { eventId: randomUUID(), type: 'Tested', data, metadata: { actor: 'test' } };
}

/** Events PostgreSQL refuses, each for a different data reason (SQLSTATE class 22). */
const POISONS: ReadonlyArray<[name: string, make: () => NewEvent]> = [
  ['NUL in a jsonb string (22P05)', () => newEvent({ description: 'a\u0000b' })],
  ['a lone surrogate in jsonb (22P02)', () => newEvent({ description: 'x\ud800' })],
  ['NUL in a metadata key', () => ({ ...newEvent(), metadata: { 'k\u0000': 'v' } })],
  ['NUL in the event type, a text column (22021)', () => ({ ...newEvent(), type: 'Tested\u0000' })],
];

/** The pool, counting the batch statements sent through it (also on clients it lends) and the connections it opens. */
function countingPool(pool: Pool): {
  pool: Pool;
  batchStatements(): number;
  connectionsOpened(): number;
} {
  let statements = 0;
  let connections = 0;
  const onConnect = () => (connections += 1);
  pool.on('connect', onConnect);
  const countQuery =
    (owner: { query(...args: unknown[]): unknown }) =>
    (...args: unknown[]) => {
      if ((args[0] as { name?: string } | undefined)?.name === 'ledger_append_batch')
        statements += 1;
      return owner.query(...args);
    };
  const counted = new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'query') return countQuery(target);
      if (property === 'connect') {
        return async () => {
          const client = await target.connect();
          return new Proxy(client, {
            get: (lent, name, lentReceiver) =>
              name === 'query' ? countQuery(lent) : Reflect.get(lent, name, lentReceiver),
          });
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return {
    pool: counted,
    batchStatements: () => statements,
    connectionsOpened: () => {
      pool.removeListener('connect', onConnect);
      return connections;
    },
  };
}

interface Load {
  streamId: string;
  poisoned: boolean;
  events: NewEvent[];
}

/** `total` appends to distinct new streams, one in every `every` poisoned (cycling through POISONS). */
function load(prefix: string, total: number, every: number): Load[] {
  return Array.from({ length: total }, (_, index) => {
    const poisoned = index % every === every - 1;
    const events = poisoned
      ? [newEvent(), POISONS[Math.floor(index / every) % POISONS.length][1]()]
      : [newEvent(), newEvent()];
    return { streamId: `${prefix}-${index}`, poisoned, events };
  });
}

describe("PostgreSQL group commit: one append's bad data never fails another", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 10 });
  });
  afterAll(() => database.drop());

  async function run(prefix: string, appends: Load[], options: GroupCommitOptions) {
    const counting = countingPool(database.pool);
    const committer = new GroupCommitter(counting.pool, options);
    const outcomes = await Promise.allSettled(
      appends.map((append) => committer.append(append.streamId, append.events, -1)),
    );
    const { rows } = await database.pool.query<{ stream_id: string; events: number }>(
      `SELECT stream_id, count(*)::int AS events FROM events WHERE stream_id LIKE $1 GROUP BY stream_id`,
      [`${prefix}-%`],
    );
    const written = new Map(rows.map((row) => [row.stream_id, row.events]));
    const collateral = appends.filter(
      (append, index) => !append.poisoned && outcomes[index].status === 'rejected',
    );
    return {
      outcomes,
      written,
      collateral,
      statements: counting.batchStatements(),
      connections: counting.connectionsOpened(),
    };
  }

  it('fails only the poisoned appends of a 400-append batch, at a bounded number of extra statements', async () => {
    const appends = load('iso-mix', 400, 20);
    // One in flight: the first append goes alone and the other 399 queue meanwhile, so they share
    // the second statement, whatever the timing (a deterministic batch of 399 with 20 poisoned).
    const { outcomes, written, collateral, statements } = await run('iso-mix', appends, {
      maxInFlight: 1,
      maxEventsPerBatch: 10_000,
      maxQueued: 10_000,
    });

    expect(collateral.map((append) => append.streamId)).toEqual([]);
    appends.forEach((append, index) => {
      const outcome = outcomes[index];
      if (append.poisoned) {
        expect(outcome.status).toBe('rejected');
        // The append's own PostgreSQL error: a data exception, for this append alone.
        expect((outcome as PromiseRejectedResult).reason).toMatchObject({
          code: expect.stringMatching(/^22/),
        });
        expect(written.has(append.streamId)).toBe(false);
      } else {
        expect(outcome).toMatchObject({ status: 'fulfilled', value: { lastRevision: 1 } });
        expect(written.get(append.streamId)).toBe(2);
      }
    });
    // Bisection: each poisoned append costs at most two statements per halving of the batch.
    const poisoned = appends.filter((append) => append.poisoned).length;
    expect(statements).toBeLessThanOrEqual(2 + 2 * poisoned * Math.ceil(Math.log2(399)));
  });

  it('isolates them with several batches in flight too', async () => {
    const appends = load('iso-flight', 400, 10);
    const { collateral, outcomes } = await run('iso-flight', appends, {
      maxInFlight: 4,
      maxEventsPerBatch: 2_000,
      maxQueued: 10_000,
    });
    expect(collateral.map((append) => append.streamId)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(40);
  });

  it('sends no extra statement when nothing fails', async () => {
    const { outcomes, statements } = await run(
      'iso-clean',
      load('iso-clean', 50, Number.MAX_SAFE_INTEGER),
      { maxInFlight: 1, maxEventsPerBatch: 10_000, maxQueued: 10_000 },
    );
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(statements).toBe(2);
  });

  it('fails every append of an all-poisoned batch with its own error, in at most 2n - 1 statements', async () => {
    const appends = Array.from({ length: 16 }, (_, index): Load => ({
      streamId: `iso-all-${index}`,
      poisoned: true,
      events: [POISONS[index % POISONS.length][1]()],
    }));
    const { outcomes, written, statements, connections } = await run('iso-all', appends, {
      maxInFlight: 1,
      maxEventsPerBatch: 10_000,
      maxQueued: 10_000,
    });
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(written.size).toBe(0);
    // The first alone (1), then the other 15 in one batch bisected down to single appends (≤ 29).
    expect(statements).toBeLessThanOrEqual(1 + 2 * 15 - 1);
    // pool.query drops its connection on any error: the two plain statements may each cost one,
    // the bisection must not cost one per failing half (it runs on one borrowed connection).
    expect(connections).toBeLessThanOrEqual(3);
  });

  it.each([
    ['a lost connection', '08006'],
    ['a serialization failure', '40001'],
    ['a statement timeout', '57014'],
  ])(
    'does not split a batch for %s: every append gets the error, after one statement',
    async (_name, code) => {
      let statements = 0;
      const failing = {
        query: async () => {
          statements += 1;
          throw Object.assign(new Error('refused by the fake database'), { code });
        },
      };
      const committer = new GroupCommitter(failing as unknown as Pool, {
        maxInFlight: 1,
        maxEventsPerBatch: 10_000,
        maxQueued: 10_000,
      });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          committer.append(`fake-${index}`, [newEvent()], -1),
        ),
      );
      expect(
        outcomes.map(
          (outcome) => outcome.status === 'rejected' && (outcome.reason as { code?: string }).code,
        ),
      ).toEqual(Array(8).fill(code));
      // The first append alone, then the other seven together: nothing more.
      expect(statements).toBe(2);
    },
  );
});
