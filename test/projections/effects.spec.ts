import type { LedgerEvent, LedgerEventMetadata } from '../../src/ledger/events';
import { LEDGER_EVENT_TYPES } from '../../src/ledger/events';
import {
  applyBlockChanges,
  AccountFoldError,
  blockKey,
  nextAccountRow,
  type BlockRow,
} from '../../projections/ledger/account-fold';
import {
  blockChanges,
  TRANSACTION_TYPE_OF,
  totalsChange,
  transactionFacts,
} from '../../projections/ledger/effects';
import type { ProjectedEvent } from '../../projections/projection';
import { transactionRow } from '../../projections/transactions.projection';

const metadata: LedgerEventMetadata = {
  occurredAt: '2026-03-01T12:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system', id: 't' },
  schemaVersion: 1,
};

function at(revision: number, event: Omit<LedgerEvent, 'metadata'>): ProjectedEvent {
  return {
    accountId: 'acct',
    revision,
    eventId: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    position: `p${revision}`,
    recordedAt: new Date(metadata.occurredAt),
    event: { ...event, metadata } as LedgerEvent,
  };
}

/** A stream exercising every event type: grant 100, purchase 50, spend 30, refund 10, hold 40, capture 25 (+15 back), expiry, reversal. */
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
      description: 'render',
      reference: 'job-1',
      details: { k: 'v' },
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
  at(5, {
    type: 'CreditsSpent',
    data: {
      spendId: 's2',
      credits: 25,
      description: 'capture',
      drawdown: [{ blockId: 'g', credits: 25 }],
      reservationId: 'h',
    },
  }),
  at(6, {
    type: 'ReservationReleased',
    data: {
      reservationId: 'h',
      credits: 15,
      reason: 'captured_remainder',
      returnedTo: [{ blockId: 'g', credits: 15 }],
    },
  }),
  at(7, { type: 'CreditsExpired', data: { blockId: 'g', credits: 55 } }),
  at(8, {
    type: 'PurchaseReversed',
    data: {
      purchaseId: 'pu',
      credits: 60,
      removed: [{ blockId: 'p', credits: 50 }],
      shortfall: 10,
      reason: 'dispute',
      providerRef: 'pi_1',
    },
  }),
];

describe('projection functions (pure)', () => {
  it('map every event type to a row type', () => {
    expect(Object.keys(TRANSACTION_TYPE_OF).sort()).toEqual([...LEDGER_EVENT_TYPES].sort());
    expect(stream.map((event) => TRANSACTION_TYPE_OF[event.event.type])).toEqual([
      'grant',
      'purchase',
      'spend',
      'refund',
      'reservation',
      'spend',
      'release',
      'expiry',
      'reversal',
    ]);
  });

  it('move available and reserved exactly as the domain does', () => {
    expect(stream.map((event) => totalsChange(event.event))).toEqual([
      { available: 100, reserved: 0 },
      { available: 50, reserved: 0 },
      { available: -30, reserved: 0 },
      { available: 10, reserved: 0 },
      { available: -40, reserved: 40 },
      { available: 0, reserved: -25 },
      { available: 15, reserved: -15 },
      { available: -55, reserved: 0 },
      { available: -50, reserved: 0 },
    ]);
  });

  it('give rows whose credits are the signed change of balance, chaining balanceAfter', () => {
    let previous: Parameters<typeof transactionRow>[0];
    const rows = stream.map((event) => {
      const row = transactionRow(previous, event);
      previous = {
        balance: row.balanceAfter,
        available: row.availableAfter,
        reserved: row.reservedAfter,
        revision: row.revision,
      };
      return row;
    });
    expect(
      rows.map((row) => [
        row.type,
        row.credits,
        row.reservedChange,
        row.balanceAfter,
        row.availableAfter,
        row.reservedAfter,
      ]),
    ).toEqual([
      ['grant', 100, 0, 100, 100, 0],
      ['purchase', 50, 0, 150, 150, 0],
      ['spend', -30, 0, 120, 120, 0],
      ['refund', 10, 0, 130, 130, 0],
      ['reservation', 0, 40, 130, 90, 40],
      ['spend', -25, -25, 105, 90, 15],
      ['release', 0, -15, 105, 105, 0],
      ['expiry', -55, 0, 50, 50, 0],
      ['reversal', -50, 0, 0, 0, 0],
    ]);
    rows.forEach((row, index) =>
      expect(row.balanceAfter).toBe((rows[index - 1]?.balanceAfter ?? 0) + row.credits),
    );
  });

  it("lift a priced spend's operation into its own fact, out of detail; null for a plain one", () => {
    const operation = {
      operationId: 'video-export',
      quantity: 90,
      dimensions: { resolution: '4k' },
      rateCardVersion: 2,
    };
    const priced: LedgerEvent = {
      type: 'CreditsSpent',
      data: {
        spendId: 'sp',
        credits: 40,
        description: 'Video export',
        drawdown: [{ blockId: 'g', credits: 40 }],
        operation,
        quote: { quoteId: 'q1', expiresAt: '2026-03-01T12:10:00.000Z' },
      },
      metadata,
    };
    const facts = transactionFacts(priced);
    expect(facts.operation).toEqual(operation);
    expect(facts.detail).not.toHaveProperty('operation');
    expect(facts.detail).toMatchObject({ quote: { quoteId: 'q1' } });
    expect(transactionFacts(stream[2].event).operation).toBeNull();
  });

  it('surface description, reference and the caller metadata, and keep the rest as detail', () => {
    expect(transactionFacts(stream[2].event)).toMatchObject({
      description: 'render',
      reference: 'job-1',
      metadata: { k: 'v' },
      detail: { spendId: 's', credits: 30, drawdown: [{ blockId: 'g', credits: 30 }] },
    });
    expect(transactionFacts(stream[2].event).detail).not.toHaveProperty('details');
    expect(transactionFacts(stream[1].event)).toMatchObject({
      description: null,
      reference: 'pi_1',
      metadata: {},
    });
    expect(transactionFacts(stream[3].event)).toMatchObject({
      description: 'failed',
      reference: null,
    });
    expect(transactionFacts(stream[8].event)).toMatchObject({
      reference: 'pi_1',
      detail: { shortfall: 10, reason: 'dispute' },
    });
  });

  it("describe a release's and a merge's rows with the operator's note, when there is one", () => {
    const note = 'customer cancelled, ticket 4211';
    const returnedTo = [{ blockId: 'g', credits: 5 }];
    const release = { reservationId: 'r', credits: 5, reason: 'released', returnedTo } as const;
    const moved = [{ blockId: 'g', credits: 5, category: 'paid' as const }];
    const sent = { transferId: 'm', to: 'user:ann', credits: 5, reason: 'merge' } as const;
    const received = { transferId: 'm', from: 'lead:1', credits: 5, purpose: 'merge' } as const;
    const closed = { reason: 'merged', mergeId: 'm', into: 'user:ann', credits: 5 } as const;
    const blocks = [{ ...moved[0], blockId: 'n', fromBlockId: 'g' }];
    const withNote: LedgerEvent[] = [
      { type: 'ReservationReleased', data: { ...release, note }, metadata },
      {
        type: 'TransferSent',
        data: { ...sent, purpose: 'merge', drawdown: moved, note },
        metadata,
      },
      { type: 'TransferReceived', data: { ...received, blocks, note }, metadata },
      { type: 'AccountClosed', data: { ...closed, note }, metadata },
    ];
    for (const event of withNote) expect(transactionFacts(event).description).toBe(note);
    const without: LedgerEvent[] = [
      { type: 'ReservationReleased', data: release, metadata },
      { type: 'TransferReceived', data: { ...received, blocks }, metadata },
      { type: 'AccountClosed', data: closed, metadata },
    ];
    for (const event of without) expect(transactionFacts(event).description).toBeNull();
    const plainMerge: LedgerEvent = {
      type: 'TransferSent',
      data: { ...sent, purpose: 'merge', drawdown: moved },
      metadata,
    };
    expect(transactionFacts(plainMerge).description).toBe('merge');
  });

  it('track blocks: open, draw, return, expire; a capture does not touch blocks', () => {
    const blocks = new Map<string, BlockRow>();
    for (const event of stream) applyBlockChanges(blocks, event);
    expect(blockChanges(stream[5].event)).toEqual([]);
    expect(blocks.get(blockKey('acct', 'g'))).toMatchObject({
      remaining: 0,
      expired: true,
      credits: 100,
      category: 'promotional',
      revision: 7,
    });
    expect(blocks.get(blockKey('acct', 'p'))).toMatchObject({
      remaining: 0,
      expired: false,
      purchaseId: 'pu',
      costBasis: { minor: 500, currency: 'USD' },
      revision: 8,
    });
  });

  it('refuse gaps, repeats, unknown blocks and negative blocks instead of skipping them', () => {
    const row = nextAccountRow(undefined, stream[0]);
    expect(() => nextAccountRow(row, stream[2])).toThrow(/a gap after revision 0/);
    expect(() => nextAccountRow(row, stream[0])).toThrow(/already applied/);
    expect(() => nextAccountRow(undefined, stream[1])).toThrow(AccountFoldError);
    expect(() => applyBlockChanges(new Map(), stream[2])).toThrow(/unknown block g/);
    const blocks = new Map<string, BlockRow>();
    applyBlockChanges(blocks, stream[1]);
    expect(() =>
      applyBlockChanges(
        blocks,
        at(2, {
          type: 'PurchaseReversed',
          data: {
            purchaseId: 'pu',
            credits: 60,
            removed: [{ blockId: 'p', credits: 60 }],
            shortfall: 0,
            reason: 'refund',
          },
        }),
      ),
    ).toThrow(/would hold -10 credits/);
    expect(() => applyBlockChanges(blocks, stream[1])).toThrow(/opened twice/);
  });
});

describe('a reinstatement (ReversalUndone)', () => {
  const undone = at(9, {
    type: 'ReversalUndone',
    data: {
      reversalId: 'dispute:dp_1',
      purchaseId: 'pu',
      credits: 50,
      restored: [{ blockId: 'p', credits: 50 }],
      shortfallCancelled: 10,
      reason: 'dispute',
      providerRef: 'pi_1',
    },
  });

  it('is a "reinstatement" row that puts the restored credits back into their blocks', () => {
    expect(TRANSACTION_TYPE_OF.ReversalUndone).toBe('reinstatement');
    expect(totalsChange(undone.event)).toEqual({ available: 50, reserved: 0 });
    expect(blockChanges(undone.event)).toEqual([{ kind: 'adjust', blockId: 'p', credits: 50 }]);
    expect(transactionFacts(undone.event)).toMatchObject({
      type: 'reinstatement',
      credits: 50,
      reference: 'pi_1',
      detail: { reversalId: 'dispute:dp_1', shortfallCancelled: 10 },
    });
  });
});
