import fc from 'fast-check';
import { auditStream } from '../../src/audit';
import type { CommandContext, LedgerCommand, LedgerEvent, LedgerState } from '../../src/ledger';
import { decide, evolve, initialState } from '../../src/ledger';
import { balanceChange, TEST_ACTOR } from '../ledger/fixtures';
import { expectConsistent } from '../ledger/invariants';

/**
 * Money that changes its mind (issue 21), through the domain, driven the way the Stripe processor
 * drives it: after every Stripe fact (a refund, a refund failing, a dispute, a dispute won or lost,
 * any of them repeated) the payment's facts are replayed as idempotent ledger commands. Over random
 * sequences with spends in between:
 * - credits never exceed what was paid for: balance ≤ what the money still held by the merchant
 *   bought, and equal to it when nothing was spent;
 * - nothing is re-credited twice: at most one ReversalUndone and one named PurchaseReversed per id;
 * - the state equals a fresh fold of the stream, and the stream passes the audit.
 */
const CREDITS = 100;
const PAID_MINOR = 1_000;
const PI = 'pi_prop';

type Fact =
  | { kind: 'spend'; credits: number }
  | { kind: 'refund'; refund: number; amountMinor: number }
  | { kind: 'refundFails'; refund: number }
  | { kind: 'dispute' }
  | { kind: 'disputeWon' }
  | { kind: 'disputeLost' }
  | { kind: 'repeat'; back: number };

const factArbitrary: fc.Arbitrary<Fact> = fc.oneof(
  fc.record({ kind: fc.constant('spend' as const), credits: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('refund' as const),
    refund: fc.integer({ min: 0, max: 3 }),
    amountMinor: fc.integer({ min: 1, max: 600 }),
  }),
  fc.record({ kind: fc.constant('refundFails' as const), refund: fc.integer({ min: 0, max: 3 }) }),
  fc.constant({ kind: 'dispute' as const }),
  fc.constant({ kind: 'disputeWon' as const }),
  fc.constant({ kind: 'disputeLost' as const }),
  fc.record({ kind: fc.constant('repeat' as const), back: fc.integer({ min: 1, max: 5 }) }),
);

/** What stripe_payments would hold. */
interface Facts {
  refunds: Map<number, number>;
  failed: Set<number>;
  disputed: boolean;
  won: boolean;
}

function netRefundedMinor(facts: Facts): number {
  let refunded = 0;
  for (const [id, minor] of facts.refunds) if (!facts.failed.has(id)) refunded += minor;
  return Math.min(refunded, PAID_MINOR);
}

/** The processor's replay of a payment's facts (StripeEventProcessor.reverse). */
function commandsFor(facts: Facts): LedgerCommand[] {
  const target = Math.floor((netRefundedMinor(facts) * CREDITS) / PAID_MINOR);
  const commands: LedgerCommand[] = [];
  if (facts.disputed || facts.won) {
    commands.push(
      facts.won
        ? { kind: 'reinstate', providerRef: PI, reversalId: 'dispute:dp_1', reason: 'dispute' }
        : {
            kind: 'reverse',
            providerRef: PI,
            credits: CREDITS,
            reason: 'dispute',
            reversalId: 'dispute:dp_1',
          },
    );
  }
  const disputeStands = facts.disputed && !facts.won;
  for (const id of disputeStands ? [] : [...facts.failed].sort()) {
    commands.push({
      kind: 'reinstate',
      providerRef: PI,
      reversalId: `refund:re_${id}`,
      reason: 'refund',
      toTotalCredits: target,
    });
  }
  if (target > 0)
    commands.push({ kind: 'reverse', providerRef: PI, totalCredits: target, reason: 'refund' });
  return commands;
}

describe('won disputes and failed refunds under random orders (domain)', () => {
  it('never credit more than was paid for, never twice, and fold to the same state', () => {
    fc.assert(
      fc.property(fc.array(factArbitrary, { maxLength: 40 }), (sequence) => {
        const state = initialState();
        const events: LedgerEvent[] = [];
        let nowMs = Date.parse('2026-01-01T00:00:00.000Z');
        const apply = (command: LedgerCommand) => {
          nowMs += 1_000;
          const context: CommandContext = {
            now: new Date(nowMs),
            correlationId: 'prop',
            actor: TEST_ACTOR,
          };
          const decision = decide(command, state, context);
          if (decision.kind !== 'accepted') return;
          for (const event of decision.events) {
            evolve(state, event);
            events.push(event);
          }
        };
        apply({
          kind: 'purchase',
          blockId: 'b1',
          purchaseId: 'p1',
          credits: CREDITS,
          amountPaid: { minor: PAID_MINOR, currency: 'USD' },
          provider: 'stripe',
          providerRef: PI,
        });
        const facts: Facts = { refunds: new Map(), failed: new Set(), disputed: false, won: false };
        let spent = 0;
        const history: Fact[] = [];
        const play = (fact: Fact) => {
          switch (fact.kind) {
            case 'spend': {
              const before = events.length;
              apply({
                kind: 'spend',
                spendId: `s${events.length}`,
                credits: fact.credits,
                description: 'usage',
              });
              if (events.length > before) spent += fact.credits;
              return;
            }
            case 'refund':
              if (!facts.refunds.has(fact.refund)) facts.refunds.set(fact.refund, fact.amountMinor);
              break;
            case 'refundFails':
              facts.failed.add(fact.refund);
              break;
            case 'dispute':
              facts.disputed = true;
              break;
            case 'disputeWon':
              facts.won = true;
              break;
            case 'disputeLost':
              break;
            case 'repeat': {
              const earlier = history[history.length - fact.back];
              if (earlier && earlier.kind !== 'repeat') play(earlier);
              return;
            }
          }
          for (const command of commandsFor(facts)) apply(command);
        };
        for (const fact of sequence) {
          play(fact);
          history.push(fact);
        }

        const balance = state.unexpiredRemaining + state.reserved;
        const entitled =
          facts.disputed && !facts.won
            ? 0
            : CREDITS - Math.floor((netRefundedMinor(facts) * CREDITS) / PAID_MINOR);
        expect(balance).toBeLessThanOrEqual(entitled);
        if (spent === 0) expect(balance).toBe(entitled);
        expect(balance).toBe(events.reduce((sum, event) => sum + balanceChange(event), 0));

        const named = new Map<string, number>();
        for (const event of events) {
          if (event.type === 'ReversalUndone')
            named.set(
              `undo ${event.data.reversalId}`,
              (named.get(`undo ${event.data.reversalId}`) ?? 0) + 1,
            );
          if (event.type === 'PurchaseReversed' && event.data.reversalId)
            named.set(event.data.reversalId, (named.get(event.data.reversalId) ?? 0) + 1);
        }
        for (const [id, count] of named) expect({ id, count }).toEqual({ id, count: 1 });

        const fresh: LedgerState = initialState();
        for (const event of events) evolve(fresh, event);
        expect(fresh).toEqual(state);
        expectConsistent(fresh);
        const report = auditStream(
          'acct',
          events.map((event, revision) => ({
            revision,
            type: event.type,
            data: event.data,
            metadata: event.metadata,
          })),
          { now: new Date(nowMs) },
        );
        expect(report.violations).toEqual([]);
      }),
      { numRuns: Number(process.env.MONEY_BACK_RUNS ?? 300) },
    );
  });
});
