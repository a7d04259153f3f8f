import type { CommandContext, LedgerCommand, LedgerEvent } from '../../src/ledger';
import { LEDGER_EVENT_TYPES, decide, evolve, initialState } from '../../src/ledger';
import { DAY, MINUTE, T0, TEST_ACTOR } from './fixtures';

/** How long the long stream's state keeps idempotency records. */
export const RETENTION_MS = 2 * DAY;

const COMMANDS_PER_BATCH = 16;

/** A deterministic mix of every kind of event, made by deciding commands one minute apart. */
export function longStream(steps: number): LedgerEvent[] {
  const state = initialState({ idempotencyRetentionMs: RETENTION_MS });
  const events: LedgerEvent[] = [];
  let nowMs = Date.parse(T0);
  // Batches of commands on the same ids: grant, buy, hold, spend, capture the hold, refund the
  // spend, reverse part of the purchase, undo the reversal (half of them before it happened), then
  // the programs' commands and the subscription's.
  const reverse = (n: number): LedgerCommand => ({
    kind: 'reverse',
    providerRef: `pi_${n}`,
    credits: 50,
    reason: 'dispute',
    reversalId: `dispute:${n}`,
  });
  const reinstate = (n: number): LedgerCommand => ({
    kind: 'reinstate',
    providerRef: `pi_${n}`,
    reversalId: `dispute:${n}`,
    reason: 'dispute',
  });
  const commands = (n: number): LedgerCommand[] => [
    {
      kind: 'grant',
      blockId: `g${n}`,
      credits: 300,
      category: 'promotional',
      reason: 'promotion',
      expiresAt: new Date(nowMs + 5 * MINUTE).toISOString(),
    },
    {
      kind: 'purchase',
      blockId: `p${n}`,
      purchaseId: `pur${n}`,
      credits: 200,
      amountPaid: { minor: 2000, currency: 'USD' },
      provider: 'stripe',
      providerRef: `pi_${n}`,
    },
    { kind: 'reserve', reservationId: `r${n}`, credits: 50, ttlSeconds: n % 2 === 0 ? 600 : 60 },
    { kind: 'spend', spendId: `s${n}`, credits: n % 2 === 0 ? 700 : 150, description: 'usage' },
    { kind: 'capture', reservationId: `r${n}`, spendId: `c${n}`, credits: 20 },
    { kind: 'refund', refundId: `rf${n}`, spendId: `s${n}`, credits: 30, reason: 'x' },
    // Every dispute is won: after the reversal, or (odd batches) announced before it, which then never applies.
    ...(n % 2 === 0 ? [reverse(n), reinstate(n)] : [reinstate(n), reverse(n)]),
    // Programs: a pool member and its spend, gift codes funded and one redeemed, a member leaving.
    { kind: 'set-member', memberId: `m${n % 3}`, limit: { credits: 500, period: 'day' } },
    { kind: 'spend', spendId: `ms${n}`, credits: 10, description: 'member', member: `m${n % 3}` },
    { kind: 'fund-gift-codes', mintId: `mint${n}`, creditsPerCode: 5, count: 2 },
    {
      kind: 'redeem-gift-code',
      codeHash: `h${n}`,
      parts: [
        {
          credits: 5,
          category: 'promotional',
          expiresAt: new Date(nowMs + 5 * MINUTE).toISOString(),
        },
      ],
      blockIds: [`gift${n}`],
    },
    { kind: 'remove-member', memberId: `m${(n + 1) % 3}` },
    // A subscription period per batch, upgraded within it; a new subscription every 50 batches,
    // the old one canceled; an auto top-up outcome.
    ...subscriptionCommands(n),
  ];
  const periodMs = COMMANDS_PER_BATCH * MINUTE;
  const terms = (planId: string, creditsPerPeriod: number) => ({
    planId,
    creditsPerPeriod,
    rollover: { maxCredits: 5, expiresAfterPeriods: 2 },
  });
  const subscriptionCommands = (n: number): LedgerCommand[] => {
    const subscriptionId = `sub_${Math.floor(n / 50)}`;
    const periodStart = new Date(Date.parse(T0) + n * periodMs).toISOString();
    const periodEnd = new Date(Date.parse(T0) + (n + 1) * periodMs).toISOString();
    return [
      {
        kind: 'paySubscriptionPeriod',
        subscriptionId,
        invoiceId: `in_${n}`,
        plan: terms('small', 10),
        periodStart,
        periodEnd,
        blockId: `sub${n}`,
        rolloverBlockId: `roll${n}`,
      },
      {
        kind: 'changeSubscriptionPlan',
        subscriptionId,
        plan: terms('big', 15),
        periodStart,
        periodEnd,
        blockId: `up${n}`,
      },
      n % 50 === 49
        ? { kind: 'cancelSubscription', subscriptionId, endedAt: periodEnd }
        : {
            kind: 'recordAutoTopUp',
            paymentIntentId: `pi_auto_${n}`,
            packId: 'basic',
            ...(n % 2 === 0
              ? { outcome: 'succeeded' as const, credits: 100, purchaseId: `pur_auto_${n}` }
              : {
                  outcome: 'failed' as const,
                  reason: 'card_declined',
                  consecutiveFailures: 1,
                  disabled: false,
                }),
          },
    ];
  };
  for (let i = 0; i < steps; i += 1) {
    nowMs += MINUTE;
    const batch = commands(Math.floor(i / COMMANDS_PER_BATCH));
    const command = batch[i % COMMANDS_PER_BATCH];
    const context: CommandContext = {
      now: new Date(nowMs),
      correlationId: 'long',
      actor: TEST_ACTOR,
      ...(i % 3 === 0 && { idempotencyKey: `k${i}`, requestHash: 'h' }),
    };
    const decision = decide(command, state, context);
    if (decision.kind !== 'accepted') continue;
    for (const event of decision.events) {
      evolve(state, event);
      events.push(event);
    }
  }
  // The end of the account: an admin's adjustment down, a transfer out and one in, the merge that
  // closes it, a transfer it declines once closed, and its own transfer coming back.
  const ending: LedgerCommand[] = [
    { kind: 'adjust', adjustmentId: 'adj', credits: 5, reason: 'correction' },
    { kind: 'transfer', transferId: 'tout', to: 'user:b', credits: 10, reason: 'gift' },
    {
      kind: 'receive',
      transferId: 'tin',
      from: 'user:b',
      purpose: 'transfer',
      blocks: [{ blockId: 'tin-1', fromBlockId: 'x', credits: 5, category: 'paid' }],
    },
    { kind: 'merge', mergeId: 'merge', into: 'user:b' },
    {
      kind: 'receive',
      transferId: 'tin2',
      from: 'user:b',
      purpose: 'transfer',
      blocks: [{ blockId: 'tin-2', fromBlockId: 'x', credits: 5, category: 'paid' }],
    },
    { kind: 'return', transferId: 'tout', reason: 'account_closed' },
  ];
  for (const command of ending) {
    nowMs += MINUTE;
    const decision = decide(command, state, {
      now: new Date(nowMs),
      correlationId: 'long',
      actor: TEST_ACTOR,
    });
    if (decision.kind !== 'accepted') throw new Error(`${command.kind}: ${decision.kind}`);
    for (const event of decision.events) {
      evolve(state, event);
      events.push(event);
    }
  }
  expect(new Set(events.map((event) => event.type))).toEqual(new Set(LEDGER_EVENT_TYPES));
  return events;
}
