import fc from 'fast-check';
import {
  cloneState,
  decide,
  evolve,
  initialState,
  type LedgerCommand,
  type LedgerEvent,
  type LedgerState,
  type SubscriptionPlanTerms,
} from '../../src/ledger';
import { addMonths } from '../../src/ledger/periods';
import { expectConsistent } from '../ledger/invariants';
import { TEST_ACTOR } from '../ledger/fixtures';

/**
 * Random sequences of subscribe/renew/upgrade/downgrade/cancel/spend/expire over many monthly
 * periods, with the clock moving and Stripe's deliveries repeated and reordered (issue 16, "Done
 * when"): no period is granted twice nor more than its largest plan, rollover never exceeds its cap
 * nor what was unused, nothing is granted from the end of the subscription on, and the state kept
 * along equals a fresh fold of the stream.
 */

const PLANS: SubscriptionPlanTerms[] = [
  { planId: 'small', creditsPerPeriod: 100, rollover: { maxCredits: 30, expiresAfterPeriods: 2 } },
  {
    planId: 'medium',
    creditsPerPeriod: 250,
    rollover: { maxCredits: 100, expiresAfterPeriods: 1 },
  },
  { planId: 'large', creditsPerPeriod: 600, rollover: { maxCredits: 0, expiresAfterPeriods: 0 } },
];
const START_MS = Date.parse('2026-01-01T00:00:00.000Z');
const HOUR = 3_600_000;

type Step =
  | { kind: 'renew'; lateHours: number }
  | { kind: 'change'; plan: number; nextPeriod: boolean }
  | { kind: 'cancel' }
  | { kind: 'spend'; credits: number }
  | { kind: 'advance'; hours: number }
  | { kind: 'expire' }
  | { kind: 'replay'; pick: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('renew' as const),
      lateHours: fc.integer({ min: -2, max: 200 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('change' as const),
      plan: fc.integer({ min: 0, max: 2 }),
      nextPeriod: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('spend' as const),
      credits: fc.integer({ min: 1, max: 200 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      hours: fc.integer({ min: 1, max: 400 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

class Run {
  readonly events: LedgerEvent[] = [];
  readonly state: LedgerState = initialState();
  private nowMs = START_MS;
  /** The period Stripe is on: its index (month n from the start) and plan. */
  private period = 0;
  private plan = 0;
  private subscription = 1;
  private ended = false;
  private ids = 0;
  /** Every subscription command sent, to deliver again (a retried or late Stripe event). */
  private readonly sent: LedgerCommand[] = [];

  start(): void {
    this.send(this.pay(0));
  }

  play(step: Step): void {
    switch (step.kind) {
      case 'renew': {
        if (this.ended) return;
        this.period += 1;
        this.nowMs = Math.max(this.nowMs, this.periodStartMs(this.period) + step.lateHours * HOUR);
        this.send(this.pay(this.period));
        return;
      }
      case 'change': {
        if (this.ended) return;
        this.plan = step.plan;
        const period = step.nextPeriod ? this.period + 1 : this.period;
        this.send({
          kind: 'changeSubscriptionPlan',
          subscriptionId: `sub_${this.subscription}`,
          plan: PLANS[this.plan],
          periodStart: iso(this.periodStartMs(period)),
          periodEnd: iso(this.periodStartMs(period + 1)),
          blockId: this.id('up'),
        });
        return;
      }
      case 'cancel':
        if (this.ended) return;
        this.ended = true;
        this.send({
          kind: 'cancelSubscription',
          subscriptionId: `sub_${this.subscription}`,
          endedAt: iso(this.nowMs),
        });
        return;
      case 'spend':
        this.send(
          { kind: 'spend', spendId: this.id('s'), credits: step.credits, description: 'use' },
          false,
        );
        return;
      case 'advance':
        this.nowMs += step.hours * HOUR;
        return;
      case 'expire':
        this.send({ kind: 'expire' }, false);
        return;
      case 'replay': {
        if (this.sent.length === 0) return;
        const command = this.sent[step.pick % this.sent.length];
        // Fresh ids where the command creates blocks: Stripe's redelivery is another event.
        const again =
          command.kind === 'changeSubscriptionPlan'
            ? { ...command, blockId: this.id('up') }
            : command;
        this.send(again, false);
        return;
      }
    }
  }

  private pay(period: number): LedgerCommand {
    return {
      kind: 'paySubscriptionPeriod',
      subscriptionId: `sub_${this.subscription}`,
      invoiceId: `in_${period}`,
      plan: PLANS[this.plan],
      periodStart: iso(this.periodStartMs(period)),
      periodEnd: iso(this.periodStartMs(period + 1)),
      // The webhook derives these from the invoice id: a repeat of the invoice uses the same.
      blockId: `sub_${period}`,
      rolloverBlockId: `roll_${period}`,
    };
  }

  private periodStartMs(period: number): number {
    return addMonths(START_MS, period);
  }

  private id(prefix: string): string {
    this.ids += 1;
    return `${prefix}${this.ids}`;
  }

  private send(command: LedgerCommand, remember = true): void {
    if (remember) this.sent.push(command);
    const decision = decide(command, this.state, {
      now: new Date(this.nowMs),
      correlationId: 'property',
      actor: TEST_ACTOR,
    });
    if (decision.kind !== 'accepted') return;
    for (const event of decision.events) {
      const stamped = { ...event, metadata: { ...event.metadata, occurredAt: iso(this.nowMs) } };
      evolve(this.state, stamped);
      this.events.push(stamped);
    }
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function checkRun(run: Run): void {
  const granted = new Map<string, number>();
  const paid = new Set<string>();
  const largest = new Map<string, number>();
  let endedAtMs = Number.POSITIVE_INFINITY;
  /** The plan of the latest paid period (what its rollover is capped by at the next renewal). */
  let periodPlan: SubscriptionPlanTerms | null = null;
  for (const event of run.events) {
    switch (event.type) {
      case 'SubscriptionStarted':
      case 'SubscriptionRenewed': {
        const { periodStart, credits, plan, rollover } = event.data;
        expect(paid.has(periodStart)).toBe(false);
        paid.add(periodStart);
        expect(Date.parse(periodStart)).toBeLessThan(endedAtMs);
        granted.set(periodStart, (granted.get(periodStart) ?? 0) + credits);
        largest.set(periodStart, Math.max(largest.get(periodStart) ?? 0, plan.creditsPerPeriod));
        if (rollover) {
          expect(rollover.credits).toBeGreaterThanOrEqual(0);
          expect(rollover.credits).toBeLessThanOrEqual(rollover.unusedCredits);
          expect(rollover.credits).toBeLessThanOrEqual(periodPlan?.rollover.maxCredits ?? 0);
        }
        periodPlan = plan;
        break;
      }
      case 'SubscriptionPlanChanged': {
        const { periodStart, credits, plan, effective } = event.data;
        if (credits > 0) expect(paid.has(periodStart)).toBe(true);
        if (effective === 'now') periodPlan = plan;
        granted.set(periodStart, (granted.get(periodStart) ?? 0) + credits);
        largest.set(periodStart, Math.max(largest.get(periodStart) ?? 0, plan.creditsPerPeriod));
        break;
      }
      case 'SubscriptionCanceled':
        endedAtMs = Math.min(endedAtMs, Date.parse(event.data.endedAt));
        break;
      default:
        break;
    }
  }
  // No period ever gets more than its largest plan's credits (an upgrade tops up to it, once).
  for (const [periodStart, credits] of granted)
    expect(credits).toBeLessThanOrEqual(largest.get(periodStart) ?? 0);
  // The rollover grant of each renewal is what its event says, and within the ending plan's cap.
  const fresh = initialState();
  for (const event of run.events) evolve(fresh, event);
  expect(fresh).toEqual(cloneState(run.state));
  expectConsistent(fresh);
  for (const block of Object.values(fresh.blocks)) {
    if (block.source === 'rollover') expect(block.credits).toBeLessThanOrEqual(100);
  }
}

describe('subscriptions over many periods (property)', () => {
  it('never grants twice, never beyond a period plan or a rollover cap, and folds to the same state', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 20, maxLength: 120 }), (steps) => {
        const run = new Run();
        run.start();
        for (const step of steps) run.play(step);
        checkRun(run);
      }),
      { numRuns: 200 },
    );
  });
});
