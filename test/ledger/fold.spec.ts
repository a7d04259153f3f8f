import fc from 'fast-check';
import type {
  BlockCategory,
  CommandContext,
  Decision,
  IdempotencyRecord,
  LedgerCommand,
  LedgerState,
} from '../../src/ledger';
import { decide, evolve, initialState, viewAt } from '../../src/ledger';
import { DAY, HOUR, MINUTE, T0, TEST_ACTOR, balanceChange } from './fixtures';
import { RETENTION_MS, longStream } from './long-stream';
import { expectConsistent } from './invariants';

/**
 * Folds long random-ish command sequences through decide and evolve and checks LEDGER.md
 * invariants 1, 2 and 4 after every event: nothing goes negative, the totals agree with the
 * blocks and holds, balance = credits in − credits out, every accepted decision leaves nothing due,
 * and a replayed key answers with the record of its first answer.
 */

type Op =
  | { op: 'grant'; credits: number; category: BlockCategory; expiresInMs: number | null }
  | { op: 'purchase'; credits: number; ref: number; expiresInMs: number | null }
  | { op: 'spend'; credits: number }
  | { op: 'refund'; pick: number; credits: number | null }
  | { op: 'reserve'; credits: number; ttlSeconds: number }
  | { op: 'capture'; pick: number; credits: number | null }
  | { op: 'release'; pick: number }
  | { op: 'expire' }
  | { op: 'reverse'; ref: number; credits: number; cumulative: boolean };

interface Step {
  advanceMs: number;
  action: Op;
  keyed: boolean;
  replay: number | null;
}

const credits = fc.integer({ min: 1, max: 400 });
const smallCredits = fc.integer({ min: 1, max: 150 });
/** null half of the time (fc.option would give a value four times out of five). */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constant(null), arb);
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: arb, weight: 1 });
/** Which recent spend or hold a refund, capture or release is about (0 = the latest). */
const pick = fc.nat({ max: 6 });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('grant' as const),
    credits,
    category: fc.constantFrom<BlockCategory>('paid', 'promotional'),
    expiresInMs: maybe(fc.integer({ min: 1, max: 2 * DAY })),
  }),
  fc.record({
    op: fc.constant('purchase' as const),
    credits,
    ref: fc.nat({ max: 15 }),
    expiresInMs: maybe(fc.integer({ min: 1, max: 3 * DAY })),
  }),
  fc.record({ op: fc.constant('spend' as const), credits: smallCredits }),
  fc.record({ op: fc.constant('refund' as const), pick, credits: maybe(smallCredits) }),
  fc.record({
    op: fc.constant('reserve' as const),
    credits: smallCredits,
    ttlSeconds: fc.integer({ min: 1, max: 6 * 3600 }),
  }),
  fc.record({ op: fc.constant('capture' as const), pick, credits: maybe(smallCredits) }),
  fc.record({ op: fc.constant('release' as const), pick }),
  fc.constant({ op: 'expire' as const }),
  fc.record({
    op: fc.constant('reverse' as const),
    ref: fc.nat({ max: 15 }),
    credits,
    cumulative: fc.boolean(),
  }),
);

const step: fc.Arbitrary<Step> = fc.record({
  advanceMs: fc.oneof(
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 5 * MINUTE }), weight: 5 },
    { arbitrary: fc.integer({ min: 1, max: 6 * HOUR }), weight: 1 },
  ),
  action: op,
  keyed: fc.boolean(),
  replay: rarely(fc.nat({ max: 1000 })),
});

class Run {
  state: LedgerState = initialState({ idempotencyRetentionMs: RETENTION_MS });
  nowMs = Date.parse(T0);
  balance = 0;
  private counter = 0;
  readonly spendIds: string[] = [];
  readonly holdIds: string[] = [];
  readonly keyed: { command: LedgerCommand; key: string; record: IdempotencyRecord }[] = [];

  play(step: Step): void {
    this.nowMs += step.advanceMs;
    if (step.replay !== null && this.keyed.length > 0)
      return this.replay(this.keyed[step.replay % this.keyed.length]);
    const command = this.commandFor(step.action);
    const key = step.keyed ? `key-${this.next()}` : undefined;
    const decision = this.decide(command, key);
    if (decision.kind === 'accepted') this.fold(decision);
    if (decision.kind === 'accepted' && key !== undefined && this.state.extras.idempotency[key]) {
      this.keyed.push({ command, key, record: this.state.extras.idempotency[key] });
    }
  }

  private replay(earlier: {
    command: LedgerCommand;
    key: string;
    record: IdempotencyRecord;
  }): void {
    // Past the retention a retry is a new request, which the application sends with fresh ids.
    if (this.nowMs - Date.parse(earlier.record.occurredAt) > RETENTION_MS) return;
    expect(this.decide(earlier.command, earlier.key)).toEqual({
      kind: 'replayed',
      record: earlier.record,
    });
  }

  private decide(command: LedgerCommand, key: string | undefined): Decision {
    const context: CommandContext = {
      now: new Date(this.nowMs),
      correlationId: 'fold',
      actor: TEST_ACTOR,
      ...(key !== undefined && { idempotencyKey: key, requestHash: JSON.stringify(command) }),
    };
    // Purity is checked with deep-frozen states in the other specs; here, cheaply, the totals.
    const before = {
      revision: this.state.revision,
      available: this.state.unexpiredRemaining,
      reserved: this.state.reserved,
    };
    const decision = decide(command, this.state, context);
    expect({
      revision: this.state.revision,
      available: this.state.unexpiredRemaining,
      reserved: this.state.reserved,
    }).toEqual(before);
    return decision;
  }

  private fold(decision: Extract<Decision, { kind: 'accepted' }>): void {
    for (const event of decision.events) {
      evolve(this.state, event);
      this.balance += balanceChange(event);
      expectConsistent(this.state, event);
      expect(this.state.unexpiredRemaining + this.state.reserved).toBe(this.balance);
    }
    // Everything due was written with the command: the state agrees with the view at `now`.
    const view = viewAt(this.state, new Date(this.nowMs));
    expect({ available: view.available, reserved: view.reserved }).toEqual({
      available: this.state.unexpiredRemaining,
      reserved: this.state.reserved,
    });
  }

  private commandFor(action: Op): LedgerCommand {
    const id = this.next();
    const expiresAt = (inMs: number | null) =>
      inMs === null ? {} : { expiresAt: new Date(this.nowMs + inMs).toISOString() };
    switch (action.op) {
      case 'grant':
        return {
          kind: 'grant',
          blockId: `g${id}`,
          credits: action.credits,
          category: action.category,
          reason: 'promotion',
          ...expiresAt(action.expiresInMs),
        };
      case 'purchase':
        return {
          kind: 'purchase',
          blockId: `p${id}`,
          purchaseId: `pur${id}`,
          credits: action.credits,
          amountPaid: { minor: action.credits * 10, currency: 'USD' },
          provider: 'stripe',
          providerRef: `pi_${action.ref}`,
          ...expiresAt(action.expiresInMs),
        };
      case 'spend':
        this.spendIds.push(`s${id}`);
        return { kind: 'spend', spendId: `s${id}`, credits: action.credits, description: 'usage' };
      case 'refund':
        return {
          kind: 'refund',
          refundId: `rf${id}`,
          spendId: recent(this.spendIds, action.pick),
          reason: 'x',
          ...(action.credits !== null && { credits: action.credits }),
        };
      case 'reserve':
        this.holdIds.push(`r${id}`);
        return {
          kind: 'reserve',
          reservationId: `r${id}`,
          credits: action.credits,
          ttlSeconds: action.ttlSeconds,
        };
      case 'capture':
        this.spendIds.push(`c${id}`);
        return {
          kind: 'capture',
          reservationId: recent(this.holdIds, action.pick),
          spendId: `c${id}`,
          ...(action.credits !== null && { credits: action.credits }),
        };
      case 'release':
        return { kind: 'release', reservationId: recent(this.holdIds, action.pick) };
      case 'expire':
        return { kind: 'expire' };
      case 'reverse':
        return action.cumulative
          ? {
              kind: 'reverse',
              providerRef: `pi_${action.ref}`,
              totalCredits: action.credits,
              reason: 'refund',
            }
          : {
              kind: 'reverse',
              providerRef: `pi_${action.ref}`,
              credits: action.credits,
              reason: 'refund',
            };
    }
  }

  private next(): number {
    this.counter += 1;
    return this.counter;
  }
}

function recent(ids: readonly string[], pick: number): string {
  return ids[ids.length - 1 - pick] ?? 'none';
}

describe('folding long command sequences', () => {
  it('keeps every invariant after every event', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 50, maxLength: 300 }), (steps) => {
        const run = new Run();
        for (const s of steps) run.play(s);
      }),
      { numRuns: 150 },
    );
  });

  it('folds a long stream from scratch to the same state, consistent at the end', () => {
    const events = longStream(24_000);
    const folded = initialState({ idempotencyRetentionMs: RETENTION_MS });
    let balance = 0;
    for (const event of events) {
      evolve(folded, event);
      balance += balanceChange(event);
      // Cheap checks on every event; the full consistency check once at the end.
      if (folded.unexpiredRemaining < 0 || folded.reserved < 0)
        throw new Error(`negative at ${folded.revision}`);
      if (folded.unexpiredRemaining + folded.reserved !== balance)
        throw new Error(`balance drift at ${folded.revision}`);
    }
    expect(folded.revision).toBe(events.length - 1);
    expectConsistent(folded);
    expect(Object.keys(folded.extras.idempotency).length).toBeLessThan(4_000);
    // A long history of spent-out blocks, few still holding credits: what deciding has to look at.
    expect(Object.keys(folded.blocks).length).toBeGreaterThan(5_000);
    expect(folded.blockIdsWithCredits.length).toBeLessThan(50);
    // How long it takes is the bench's (`cold-load`), never a timed test's: machines are shared.
  });
});
