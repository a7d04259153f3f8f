import type { LedgerEvent, LedgerEventMetadata } from '../../src/ledger/events';
import { accountsProjection } from '../../projections/accounts.projection';
import { holdsProjection } from '../../projections/holds.projection';
import type { Projection, ProjectedEvent } from '../../projections/projection';
import { transactionsProjection } from '../../projections/transactions.projection';
import { findDueAccounts } from '../../src/expiry/due-accounts';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const metadata: LedgerEventMetadata = {
  occurredAt: '2026-03-01T12:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system', id: 't' },
  schemaVersion: 1,
};

function at(
  revision: number,
  event: Omit<LedgerEvent, 'metadata'>,
  occurredAt = metadata.occurredAt,
): ProjectedEvent {
  return {
    accountId: 'acct',
    revision,
    eventId: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    position: `p${revision}`,
    recordedAt: new Date(occurredAt),
    event: { ...event, metadata: { ...metadata, occurredAt } } as LedgerEvent,
  };
}

/** Every event type, with the optional fields both present and absent (nulls, nested JSON, quotes). */
const stream: ProjectedEvent[] = [
  at(0, {
    type: 'CreditsGranted',
    data: {
      blockId: 'g',
      credits: 100,
      category: 'promotional',
      reason: 'signup',
      expiresAt: '2026-03-02T00:00:00.000Z',
    },
  }),
  at(1, {
    type: 'CreditsPurchased',
    data: {
      blockId: 'p',
      purchaseId: 'pu',
      credits: 50,
      amountPaid: { minor: 500, currency: 'USD' },
      provider: 'stripe',
      providerRef: 'pi_1',
    },
  }),
  at(2, {
    type: 'CreditsSpent',
    data: {
      spendId: 's',
      credits: 30,
      description: 'render "4k" \\ ünïcode',
      reference: 'job-1',
      details: { k: 'v', q: '"' },
      drawdown: [{ blockId: 'g', credits: 30 }],
    },
  }),
  at(3, {
    type: 'CreditsRefunded',
    data: {
      refundId: 'r',
      spendId: 's',
      credits: 10,
      reason: 'failed',
      returnedTo: [{ blockId: 'g', credits: 10 }],
    },
  }),
  at(4, {
    type: 'CreditsReserved',
    data: {
      reservationId: 'h',
      credits: 40,
      expiresAt: '2026-03-01T12:15:00.000Z',
      drawdown: [{ blockId: 'g', credits: 40 }],
    },
  }),
  at(
    5,
    {
      type: 'CreditsSpent',
      data: {
        spendId: 's2',
        credits: 25,
        description: 'capture',
        drawdown: [{ blockId: 'g', credits: 25 }],
        reservationId: 'h',
      },
    },
    '2026-03-01T12:05:00.123Z',
  ),
  at(6, {
    type: 'ReservationReleased',
    data: {
      reservationId: 'h',
      credits: 15,
      reason: 'captured_remainder',
      returnedTo: [{ blockId: 'g', credits: 15 }],
    },
  }),
  at(7, {
    type: 'CreditsReserved',
    data: {
      reservationId: 'h2',
      credits: 5,
      expiresAt: '2026-03-01T13:00:00.000Z',
      drawdown: [{ blockId: 'p', credits: 5 }],
    },
  }),
  at(
    8,
    { type: 'CreditsExpired', data: { blockId: 'g', credits: 55 } },
    '2026-03-02T00:00:00.000Z',
  ),
  at(
    9,
    {
      type: 'PurchaseReversed',
      data: {
        purchaseId: 'pu',
        credits: 50,
        removed: [{ blockId: 'p', credits: 45 }],
        shortfall: 5,
        reason: 'dispute',
        providerRef: 'pi_1',
      },
    },
    '2026-03-03T00:00:00.000Z',
  ),
];

/**
 * What the projections write, column by column, against a real PostgreSQL: the batch writes
 * (json_to_recordset) must store exactly the rows the pure functions describe, across two batches
 * (the second one loads what the first wrote).
 */
describe('projection row writes (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ poolMax: 2 });
  });
  afterAll(async () => {
    await db.drop();
  });

  async function applyInTwoBatches(projection: Projection): Promise<void> {
    for (const batch of [stream.slice(0, 4), stream.slice(4)]) {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await projection.apply(client, batch);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
  }

  it('accounts: the balance row and every block, with their nulls and JSON cost basis', async () => {
    await applyInTwoBatches(accountsProjection);
    const balances = await db.pool.query(`SELECT * FROM account_balances`);
    expect(balances.rows).toEqual([
      {
        account_id: 'acct',
        balance: 5,
        available: 0,
        reserved: 5,
        revision: 9,
        created_at: new Date('2026-03-01T12:00:00.000Z'),
        updated_at: new Date('2026-03-03T00:00:00.000Z'),
      },
    ]);
    const blocks = await db.pool.query(`SELECT * FROM credit_blocks ORDER BY block_id`);
    expect(blocks.rows).toEqual([
      {
        account_id: 'acct',
        block_id: 'g',
        category: 'promotional',
        credits: 100,
        remaining: 0,
        granted_at: new Date('2026-03-01T12:00:00.000Z'),
        expires_at: new Date('2026-03-02T00:00:00.000Z'),
        expired: true,
        purchase_id: null,
        cost_basis: null,
        revision: 8,
        holds_credits: false,
      },
      {
        account_id: 'acct',
        block_id: 'p',
        category: 'paid',
        credits: 50,
        remaining: 0,
        granted_at: new Date('2026-03-01T12:00:00.000Z'),
        expires_at: null,
        expired: false,
        purchase_id: 'pu',
        cost_basis: { minor: 500, currency: 'USD' },
        revision: 9,
        holds_credits: false,
      },
    ]);
    const costBasisIsObject = await db.pool.query(
      `SELECT jsonb_typeof(cost_basis) AS kind FROM credit_blocks WHERE block_id = 'p'`,
    );
    expect(costBasisIsObject.rows[0].kind).toBe('object');
  });

  it('transactions: one row per event with its running totals, text and JSON columns', async () => {
    await applyInTwoBatches(transactionsProjection);
    const { rows } = await db.pool.query(
      `SELECT account_id, revision, event_id::text AS event_id, type, credits, balance_after, available_after, reserved_after, reserved_change,
              description, reference, occurred_at, metadata, detail
       FROM credit_transactions ORDER BY revision`,
    );
    expect(
      rows.map((row) => [
        row.type,
        row.credits,
        row.balance_after,
        row.available_after,
        row.reserved_after,
        row.reserved_change,
      ]),
    ).toEqual([
      ['grant', 100, 100, 100, 0, 0],
      ['purchase', 50, 150, 150, 0, 0],
      ['spend', -30, 120, 120, 0, 0],
      ['refund', 10, 130, 130, 0, 0],
      ['reservation', 0, 130, 90, 40, 40],
      ['spend', -25, 105, 90, 15, -25],
      ['release', 0, 105, 105, 0, -15],
      ['reservation', 0, 105, 100, 5, 5],
      ['expiry', -55, 50, 45, 5, 0],
      ['reversal', -45, 5, 0, 5, 0],
    ]);
    expect(rows[2]).toEqual({
      account_id: 'acct',
      revision: 2,
      event_id: '00000000-0000-4000-8000-000000000002',
      type: 'spend',
      credits: -30,
      balance_after: 120,
      available_after: 120,
      reserved_after: 0,
      reserved_change: 0,
      description: 'render "4k" \\ ünïcode',
      reference: 'job-1',
      occurred_at: new Date(metadata.occurredAt),
      metadata: { k: 'v', q: '"' },
      detail: { spendId: 's', credits: 30, drawdown: [{ blockId: 'g', credits: 30 }] },
    });
    expect(rows[0]).toMatchObject({ description: null, reference: null, metadata: {} });
    expect(rows[1]).toMatchObject({
      reference: 'pi_1',
      detail: {
        blockId: 'p',
        purchaseId: 'pu',
        credits: 50,
        amountPaid: { minor: 500, currency: 'USD' },
        provider: 'stripe',
        providerRef: 'pi_1',
      },
    });
    expect(rows[5]!.occurred_at).toEqual(new Date('2026-03-01T12:05:00.123Z'));
  });

  it('accounts: a spend updates its block in place (HOT), and only a block with credits is due', async () => {
    const own = (event: ProjectedEvent): ProjectedEvent => ({ ...event, accountId: 'hot' });
    const spend = (revision: number, spendId: string, credits: number) =>
      own(
        at(revision, {
          type: 'CreditsSpent',
          data: { spendId, credits, description: 'render', drawdown: [{ blockId: 'b', credits }] },
        }),
      );
    const inTransaction = async (events: ProjectedEvent[]) => {
      const client = await db.pool.connect();
      try {
        // This backend's counters not yet published (earlier transactions' too): the difference
        // across the apply is this batch's.
        const counters = async () =>
          (
            await client.query<{ updated: number; hot: number }>(
              `SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot
               FROM pg_stat_xact_user_tables WHERE relname = 'credit_blocks'`,
            )
          ).rows[0];
        await client.query('BEGIN');
        const before = await counters();
        await accountsProjection.apply(client, events);
        const after = await counters();
        await client.query('COMMIT');
        return { updated: after.updated - before.updated, hot: after.hot - before.hot };
      } finally {
        client.release();
      }
    };
    const afterDeadline = new Date('2026-03-03T00:00:00.000Z');
    await inTransaction([
      own(
        at(0, {
          type: 'CreditsGranted',
          data: {
            blockId: 'b',
            credits: 10,
            category: 'promotional',
            reason: 'signup',
            expiresAt: '2026-03-02T00:00:00.000Z',
          },
        }),
      ),
    ]);

    // The update changes remaining only: no indexed column (credit_blocks_due reads holds_credits).
    expect(await inTransaction([spend(1, 's1', 3)])).toEqual({ updated: 1, hot: 1 });
    expect(await findDueAccounts(db.pool, afterDeadline, 10)).toContain('hot');

    // Emptied: holds_credits turns false, the block leaves the expiry job's index.
    await inTransaction([spend(2, 's2', 7)]);
    const { rows } = await db.pool.query(
      `SELECT remaining, holds_credits FROM credit_blocks WHERE account_id = 'hot'`,
    );
    expect(rows).toEqual([{ remaining: 0, holds_credits: false }]);
    expect(await findDueAccounts(db.pool, afterDeadline, 10)).not.toContain('hot');
  });

  it('accounts: a batch updates the rows it found and inserts the ones it opened, each once', async () => {
    const own = (event: ProjectedEvent): ProjectedEvent => ({ ...event, accountId: 'split' });
    const grant = (revision: number, blockId: string) =>
      own(
        at(revision, {
          type: 'CreditsGranted',
          data: { blockId, credits: 10, category: 'promotional', reason: 'signup' },
        }),
      );
    const spend = (revision: number, blockId: string) =>
      own(
        at(revision, {
          type: 'CreditsSpent',
          data: {
            spendId: `s${revision}`,
            credits: 1,
            description: 'render',
            drawdown: [{ blockId, credits: 1 }],
          },
        }),
      );
    type Writes = Record<
      'account_balances' | 'credit_blocks',
      { inserted: number; updated: number }
    >;
    const writesOf = async (events: ProjectedEvent[]): Promise<Writes> => {
      const client = await db.pool.connect();
      try {
        const counters = async () => {
          const { rows } = await client.query<{ relname: string; ins: number; upd: number }>(
            `SELECT relname, n_tup_ins::int AS ins, n_tup_upd::int AS upd FROM pg_stat_xact_user_tables
             WHERE relname IN ('account_balances', 'credit_blocks')`,
          );
          return new Map(rows.map((row) => [row.relname, row]));
        };
        await client.query('BEGIN');
        const before = await counters();
        await accountsProjection.apply(client, events);
        const after = await counters();
        await client.query('COMMIT');
        const delta = (table: keyof Writes) => ({
          inserted: after.get(table)!.ins - before.get(table)!.ins,
          updated: after.get(table)!.upd - before.get(table)!.upd,
        });
        return {
          account_balances: delta('account_balances'),
          credit_blocks: delta('credit_blocks'),
        };
      } finally {
        client.release();
      }
    };

    // Opened and spent from in the same batch: one insert of each row, as the batch left it.
    expect(await writesOf([grant(0, 'a'), spend(1, 'a')])).toEqual({
      account_balances: { inserted: 1, updated: 0 },
      credit_blocks: { inserted: 1, updated: 0 },
    });
    // The stored account and block are updated; the block the batch opens is inserted.
    expect(await writesOf([spend(2, 'a'), grant(3, 'b'), spend(4, 'b')])).toEqual({
      account_balances: { inserted: 0, updated: 1 },
      credit_blocks: { inserted: 1, updated: 1 },
    });
    const { rows } = await db.pool.query(
      `SELECT block_id, remaining, revision FROM credit_blocks WHERE account_id = 'split' ORDER BY block_id`,
    );
    expect(rows).toEqual([
      { block_id: 'a', remaining: 8, revision: 2 },
      { block_id: 'b', remaining: 9, revision: 4 },
    ]);
    const balance = await db.pool.query(
      `SELECT balance, revision FROM account_balances WHERE account_id = 'split'`,
    );
    expect(balance.rows).toEqual([{ balance: 17, revision: 4 }]);
  });

  it('holds: only the reservation still open', async () => {
    await applyInTwoBatches(holdsProjection);
    const { rows } = await db.pool.query(`SELECT * FROM open_holds`);
    expect(rows).toEqual([
      {
        account_id: 'acct',
        reservation_id: 'h2',
        credits: 5,
        expires_at: new Date('2026-03-01T13:00:00.000Z'),
      },
    ]);
  });
});
