import type { LedgerEvent } from '../../src/ledger/events';
import {
  analyticsFacts,
  dayOf,
  emptyDelta,
  foldAnalytics,
  key,
  memberOf,
  monthOf,
  rollupsOf,
  NO_REFS,
  ZERO_PURCHASES,
  ZERO_USAGE,
} from '../../projections/analytics/effects';

const meta = (occurredAt: string) => ({
  occurredAt,
  correlationId: 'c',
  actor: { kind: 'system' as const, id: 't' },
  schemaVersion: 1,
});

const spend = (
  spendId: string,
  credits: number,
  occurredAt: string,
  extra: Record<string, unknown> = {},
): LedgerEvent => ({
  type: 'CreditsSpent',
  data: { spendId, credits, description: 'd', drawdown: [{ blockId: 'b', credits }], ...extra },
  metadata: meta(occurredAt),
});

const refund = (spendId: string, credits: number, occurredAt: string): LedgerEvent => ({
  type: 'CreditsRefunded',
  data: { refundId: `r-${spendId}`, spendId, credits, reason: 'failed', returnedTo: [] },
  metadata: meta(occurredAt),
});

const purchase = (purchaseId: string, occurredAt: string, packId?: string): LedgerEvent => ({
  type: 'CreditsPurchased',
  data: {
    blockId: `b-${purchaseId}`,
    purchaseId,
    credits: 275,
    amountPaid: { minor: 2500, currency: 'USD' },
    ...(packId ? { packId } : {}),
    provider: 'stripe',
    providerRef: `pi_${purchaseId}`,
  },
  metadata: meta(occurredAt),
});

const operation = (operationId: string) => ({
  operation: { operationId, quantity: 1, dimensions: {}, rateCardVersion: 1 },
});

describe('analytics effects (pure)', () => {
  it('reads days and months in UTC', () => {
    expect(dayOf('2026-03-01T23:59:59.999Z')).toBe('2026-03-01');
    expect(dayOf('2026-03-02T00:30:00+02:00')).toBe('2026-03-01');
    expect(monthOf('2026-03-17')).toBe('2026-03-01');
    expect(rollupsOf('2026-08-17')).toEqual([
      ['month', '2026-08-01'],
      ['quarter', '2026-07-01'],
      ['year', '2026-01-01'],
    ]);
  });

  it('counts a spend as usage of its operation on its day, and remembers priced spends for their refunds', () => {
    expect(
      analyticsFacts('a', spend('s1', 12, '2026-03-01T10:00:00Z', operation('render')), NO_REFS),
    ).toEqual([
      {
        kind: 'usage',
        day: '2026-03-01',
        accountId: 'a',
        operationId: 'render',
        member: '',
        amounts: { ...ZERO_USAGE, spentCredits: 12, spends: 1 },
      },
      {
        kind: 'spendRef',
        accountId: 'a',
        spendId: 's1',
        ref: { operationId: 'render', member: '' },
      },
    ]);
    // A plain spend belongs to no operation and is not remembered (its refund finds nothing: none).
    expect(analyticsFacts('a', spend('s2', 5, '2026-03-01T10:00:00Z'), NO_REFS)).toHaveLength(1);
  });

  it('counts a refund on the day it happened, under the operation of its spend, even from an earlier batch', () => {
    const stored = {
      spend: (accountId: string, spendId: string) =>
        accountId === 'a' && spendId === 's1' ? { operationId: 'render', member: '' } : undefined,
      purchase: () => undefined,
    };
    expect(analyticsFacts('a', refund('s1', 4, '2026-03-05T01:00:00Z'), stored)).toEqual([
      {
        kind: 'usage',
        day: '2026-03-05',
        accountId: 'a',
        operationId: 'render',
        member: '',
        amounts: { ...ZERO_USAGE, refundedCredits: 4, refunds: 1 },
      },
    ]);
    expect(analyticsFacts('a', refund('plain', 4, '2026-03-05T01:00:00Z'), NO_REFS)[0]).toEqual(
      expect.objectContaining({ operationId: '', member: '' }),
    );
  });

  it('reads the pool member of a spend when spends carry one (the pools hook), none otherwise', () => {
    const pooled = spend('s3', 7, '2026-03-01T00:00:00Z', { member: 'user:ann' });
    expect(memberOf(pooled)).toBe('user:ann');
    expect(memberOf(spend('s4', 7, '2026-03-01T00:00:00Z'))).toBe('');
    const delta = foldAnalytics(
      [
        { accountId: 'org:acme', event: pooled },
        { accountId: 'org:acme', event: refund('s3', 2, '2026-03-02T00:00:00Z') },
      ],
      NO_REFS,
    );
    expect(delta.usageByMember).toEqual(
      new Map([
        [key('2026-03-01', 'org:acme', 'user:ann'), { ...ZERO_USAGE, spentCredits: 7, spends: 1 }],
        [
          key('2026-03-02', 'org:acme', 'user:ann'),
          { ...ZERO_USAGE, refundedCredits: 2, refunds: 1 },
        ],
      ]),
    );
  });

  it('folds a batch into per-day, per-account, per-month rows; a refund finds a spend of the same batch', () => {
    const events = [
      spend('s1', 10, '2026-03-01T10:00:00Z', operation('render')),
      spend('s2', 3, '2026-03-01T11:00:00Z'),
      refund('s1', 4, '2026-03-02T09:00:00Z'),
      spend('s5', 6, '2026-04-01T00:00:00Z', operation('render')),
    ].map((event) => ({ accountId: 'a', event }));
    const delta = foldAnalytics(events, NO_REFS);
    expect(Object.fromEntries(delta.usageByOperation)).toEqual({
      '2026-03-01|render': { ...ZERO_USAGE, spentCredits: 10, spends: 1 },
      '2026-03-01|': { ...ZERO_USAGE, spentCredits: 3, spends: 1 },
      '2026-03-02|render': { ...ZERO_USAGE, refundedCredits: 4, refunds: 1 },
      '2026-04-01|render': { ...ZERO_USAGE, spentCredits: 6, spends: 1 },
    });
    expect(Object.fromEntries(delta.usageByAccount)).toEqual({
      '2026-03-01|a': { ...ZERO_USAGE, spentCredits: 13, spends: 2 },
      '2026-03-02|a': { ...ZERO_USAGE, refundedCredits: 4, refunds: 1 },
      '2026-04-01|a': { ...ZERO_USAGE, spentCredits: 6, spends: 1 },
    });
    expect(Object.fromEntries(delta.usageByAccountRollup)).toEqual({
      '2026-03-01|a|month': { spentCredits: 13, spends: 2, refundedCredits: 4, refunds: 1 },
      '2026-01-01|a|quarter': { spentCredits: 13, spends: 2, refundedCredits: 4, refunds: 1 },
      '2026-01-01|a|year': { spentCredits: 19, spends: 3, refundedCredits: 4, refunds: 1 },
      '2026-04-01|a|month': { ...ZERO_USAGE, spentCredits: 6, spends: 1 },
      '2026-04-01|a|quarter': { ...ZERO_USAGE, spentCredits: 6, spends: 1 },
    });
    expect(delta.usageByMember.size).toBe(0);
  });

  it('counts purchases per pack and currency with their revenue; a reversal and its undoing under the purchase', () => {
    const events: LedgerEvent[] = [
      purchase('p1', '2026-03-01T10:00:00Z', 'standard'),
      purchase('p2', '2026-03-01T11:00:00Z'),
      {
        type: 'PurchaseReversed',
        data: {
          purchaseId: 'p1',
          credits: 275,
          removed: [{ blockId: 'b-p1', credits: 200 }],
          shortfall: 75,
          reason: 'dispute',
          reversalId: 'dispute:du_1',
        },
        metadata: meta('2026-03-03T00:00:00Z'),
      },
      {
        type: 'ReversalUndone',
        data: {
          reversalId: 'dispute:du_1',
          purchaseId: 'p1',
          credits: 200,
          restored: [{ blockId: 'b-p1', credits: 200 }],
          shortfallCancelled: 75,
          reason: 'dispute',
        },
        metadata: meta('2026-03-04T00:00:00Z'),
      },
    ];
    const delta = foldAnalytics(
      events.map((event) => ({ accountId: 'a', event })),
      NO_REFS,
    );
    expect(Object.fromEntries(delta.purchases)).toEqual({
      '2026-03-01|standard|USD': {
        ...ZERO_PURCHASES,
        purchases: 1,
        credits: 275,
        revenueMinor: 2500,
      },
      '2026-03-01||USD': { ...ZERO_PURCHASES, purchases: 1, credits: 275, revenueMinor: 2500 },
      '2026-03-03|standard|USD': { ...ZERO_PURCHASES, reversals: 1, reversedCredits: 275 },
      '2026-03-04|standard|USD': { ...ZERO_PURCHASES, reversals: -1, reversedCredits: -275 },
    });
    // A reversal of a purchase this ledger never recorded changes nothing.
    expect(analyticsFacts('b', events[2], NO_REFS)).toEqual([]);
  });

  it('ignores grants, expiries, holds and releases (a hold is usage only once captured)', () => {
    const delta = emptyDelta();
    foldAnalytics(
      [
        {
          accountId: 'a',
          event: {
            type: 'CreditsReserved',
            data: {
              reservationId: 'h',
              credits: 5,
              expiresAt: '2026-03-01T01:00:00Z',
              drawdown: [],
            },
            metadata: meta('2026-03-01T00:00:00Z'),
          },
        },
        {
          accountId: 'a',
          event: spend('cap', 5, '2026-03-01T00:10:00Z', { reservationId: 'h' }),
        },
      ],
      NO_REFS,
      delta,
    );
    expect(Object.fromEntries(delta.usageByAccount)).toEqual({
      '2026-03-01|a': { ...ZERO_USAGE, spentCredits: 5, spends: 1 },
    });
  });
});
