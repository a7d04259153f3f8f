import { balanceChange } from '../ledger/fixtures';
import fc from 'fast-check';
import { auditStream, type AuditedEvent } from '../../src/audit';
import type { Decision, LedgerEvent, LedgerState } from '../../src/ledger';
import { decide, evolve, initialState, viewAt } from '../../src/ledger';
import {
  emptyAccount,
  lotsAt,
  run,
  totals,
  viewAt as referenceViewAt,
  type Account,
  type Answer,
} from './reference-ledger';
import {
  ACCOUNTS,
  Ids,
  opArbitrary,
  START,
  stepFor,
  type Op,
  type SentWithKey,
  type Step,
} from './workload';

/**
 * LEDGER.md's invariants under random workloads, through the domain (decide + evolve, in memory):
 * grants, purchases (with repeated provider refs), spends, refunds, reservations, captures,
 * releases, reversals, expiry runs, idempotent replays and clock moves (some landing exactly on an
 * expiry or a deadline) over several accounts. After every step, for every account:
 * - the answer (accepted, refused and why, replayed, duplicate) is the reference model's;
 * - balance, available and reserved, stored and as seen now, and every block's remaining credits
 *   are the reference model's;
 * - after every single event: available ≥ 0, reserved ≥ 0 and balance = credits in − credits out
 *   (summed from the events by this test, not by the ledger);
 * - a spend or a hold is accepted exactly when available ≥ credits.
 * At the end of each run every stream also passes the audit (src/audit) with no violation.
 */
const RETENTION_MS = 365 * 24 * 3600 * 1000;

interface LedgerAccount {
  state: LedgerState;
  events: LedgerEvent[];
  /** Credits in − credits out over the stream, summed by this test from the events. */
  net: number;
}

function describeDecision(decision: Decision): string {
  return decision.kind === 'rejected' ? `rejected:${decision.rejection.code}` : decision.kind;
}

function describeAnswer(answer: Answer): string {
  return answer.kind === 'rejected' ? `rejected:${answer.code}` : answer.kind;
}

/** The domain's state as plain numbers, to compare with the model. */
function blocksOf(state: LedgerState): Record<string, number> {
  const result: Record<string, number> = {};
  for (const block of Object.values(state.blocks))
    if (block.remaining > 0) result[block.blockId] = block.remaining;
  return result;
}

function modelBlocks(account: Account): Record<string, number> {
  const result: Record<string, number> = {};
  for (const lot of account.lots) if (lot.left > 0) result[lot.id] = lot.left;
  return result;
}

function viewBlocks(state: LedgerState, now: number): Record<string, number> {
  return Object.fromEntries(
    viewAt(state, new Date(now)).blocks.map((block) => [block.blockId, block.remaining]),
  );
}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

/** JSON with object keys sorted, so that two maps built in different orders compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function expectSame(actual: unknown, expected: unknown, what: () => string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  check(a === e, () => `${what()}: ledger ${a}, reference ${e}`);
}

/** Runs one workload; throws (with the step and what differs) on the first disagreement. */
function runWorkload(ops: readonly Op[]): void {
  const ids = new Ids();
  const ledgers: LedgerAccount[] = ACCOUNTS.map(() => ({
    state: initialState({ idempotencyRetentionMs: RETENTION_MS }),
    events: [],
    net: 0,
  }));
  let models: Account[] = ACCOUNTS.map(() => emptyAccount());
  const sent: SentWithKey = ACCOUNTS.map(() => []);
  let now = START;

  ops.forEach((op, index) => {
    const where = () => `step ${index} ${JSON.stringify(op)} at ${new Date(now).toISOString()}`;
    const step = stepFor(op, models, now, ids, sent);
    if (step === null) return;
    if ('moveTo' in step) {
      now = step.moveTo;
    } else {
      runStep(step, index, where);
    }
    for (let account = 0; account < ACCOUNTS.length; account++)
      compareAccount(account, () => `${where()}, ${ACCOUNTS[account]}`);
  });

  for (let account = 0; account < ACCOUNTS.length; account++) {
    const stream: AuditedEvent[] = ledgers[account].events.map((event, revision) => ({
      ...event,
      revision,
    }));
    const report = auditStream(ACCOUNTS[account], stream, { now: new Date(now) });
    expectSame(report.violations, [], () => `audit of ${ACCOUNTS[account]}`);
    expectSame(
      report.closing.balance,
      referenceViewAt(models[account], now).balance,
      () => `audit closing balance of ${ACCOUNTS[account]}`,
    );
  }

  function runStep(step: Step, index: number, where: () => string): void {
    const ledger = ledgers[step.account];
    const before = viewAt(ledger.state, new Date(now));
    const decision = decide(step.ledgerCommand, ledger.state, {
      now: new Date(now),
      correlationId: `op-${index}`,
      actor: { kind: 'apiKey', id: 'property' },
      ...(step.key && { idempotencyKey: step.key.key, requestHash: step.key.hash }),
    });
    const expected = run(models[step.account], step.command, now, step.key);
    expectSame(
      describeDecision(decision),
      describeAnswer(expected.answer),
      () => `${where()}: decision`,
    );

    if (expected.answer.kind === 'rejected' && expected.answer.details) {
      const rejection = (decision as Extract<Decision, { kind: 'rejected' }>)
        .rejection as unknown as Record<string, number>;
      for (const [field, value] of Object.entries(expected.answer.details))
        expectSame(rejection[field], value, () => `${where()}: rejection ${field}`);
    }
    if (step.command.kind === 'spend' || step.command.kind === 'reserve') {
      if (
        decision.kind !== 'replayed' &&
        !(decision.kind === 'rejected' && decision.rejection.code === 'idempotency_key_reused')
      ) {
        check(
          (decision.kind === 'accepted') === before.available >= step.command.credits,
          () => `${where()}: accepted iff available (${before.available}) ≥ credits`,
        );
      }
    }
    if (decision.kind === 'replayed' && expected.answer.kind === 'replayed') {
      const { balance, available, reserved } = decision.record;
      expectSame(
        { balance, available, reserved },
        expected.answer.answer,
        () => `${where()}: replayed answer`,
      );
    }
    if (
      decision.kind === 'noop' &&
      decision.reason === 'duplicate_purchase' &&
      expected.answer.kind === 'noop'
    ) {
      const { balance, available, reserved } = decision;
      expectSame(
        { balance, available, reserved },
        expected.answer.answer,
        () => `${where()}: repeated purchase's answer`,
      );
    }
    if (decision.kind === 'accepted') {
      decision.events.forEach((event, position) => {
        check(
          event.metadata.occurredAt === new Date(now).toISOString(),
          () => `${where()}: event ${position} occurredAt ${event.metadata.occurredAt}`,
        );
        evolve(ledger.state, event);
        ledger.events.push(event);
        ledger.net += balanceChange(event);
        const { unexpiredRemaining: available, reserved } = ledger.state;
        check(
          available >= 0 && reserved >= 0,
          () => `${where()}: after ${event.type}, available ${available}, reserved ${reserved}`,
        );
        check(
          available + reserved === ledger.net,
          () =>
            `${where()}: after ${event.type}, balance ${available + reserved} ≠ credits in − out ${ledger.net}`,
        );
      });
      if (step.key && expected.answer.kind === 'accepted' && expected.answer.remembered)
        sent[step.account].push(step);
    }
    models = models.map((model, account) => (account === step.account ? expected.account : model));
  }

  function compareAccount(account: number, where: () => string): void {
    const { state } = ledgers[account];
    const model = models[account];
    expectSame(
      { available: state.unexpiredRemaining, reserved: state.reserved },
      { available: totals(model).available, reserved: totals(model).reserved },
      () => `${where()}: stored totals`,
    );
    expectSame(blocksOf(state), modelBlocks(model), () => `${where()}: stored blocks`);
    const view = viewAt(state, new Date(now));
    const expected = referenceViewAt(model, now);
    expectSame(
      { balance: view.balance, available: view.available, reserved: view.reserved },
      expected,
      () => `${where()}: view now`,
    );
    expectSame(viewBlocks(state, now), lotsAt(model, now), () => `${where()}: blocks now`);
    check(view.available >= 0 && view.reserved >= 0, () => `${where()}: negative view`);
  }
}

describe('ledger properties (domain, against a reference model)', () => {
  it('keeps every LEDGER.md invariant and agrees with the reference model after every step', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
        runWorkload(ops);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on long workloads too (fewer runs, many more steps)', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 200, maxLength: 400, size: 'max' }), (ops) => {
        runWorkload(ops);
      }),
      { numRuns: 30 },
    );
  });

  it('exercises every kind of answer (a check of the workload, not of the ledger)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 40, maxLength: 80 }), (ops) => {
        const ids = new Ids();
        let models: Account[] = ACCOUNTS.map(() => emptyAccount());
        const sent: SentWithKey = ACCOUNTS.map(() => []);
        let now = START;
        for (const op of ops) {
          const step = stepFor(op, models, now, ids, sent);
          if (step === null) continue;
          if ('moveTo' in step) {
            now = step.moveTo;
            continue;
          }
          const { answer, account } = run(models[step.account], step.command, now, step.key);
          const label = `${step.command.kind}:${describeAnswer(answer)}`;
          seen.set(label, (seen.get(label) ?? 0) + 1);
          if (answer.kind === 'accepted' && answer.remembered && step.key)
            sent[step.account].push(step);
          models = models.map((model, index) => (index === step.account ? account : model));
        }
      }),
      { numRuns: 200, seed: 42 },
    );
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining([
        'grant:accepted',
        'grant:rejected:invalid_expiry',
        'purchase:accepted',
        'purchase:noop',
        'purchase:rejected:purchase_conflict',
        'spend:accepted',
        'spend:rejected:insufficient_credits',
        'spend:replayed',
        'spend:rejected:idempotency_key_reused',
        'refund:accepted',
        'refund:rejected:refund_exceeds_spend',
        'refund:rejected:spend_fully_refunded',
        'refund:rejected:not_found',
        'reserve:accepted',
        'reserve:rejected:insufficient_credits',
        'capture:accepted',
        'capture:rejected:reservation_expired',
        'capture:rejected:reservation_closed',
        'capture:rejected:capture_exceeds_hold',
        'capture:rejected:not_found',
        'release:accepted',
        'release:rejected:reservation_expired',
        'release:rejected:reservation_closed',
        'reverse:accepted',
        'reverse:rejected:not_found',
        'expire:accepted',
      ]),
    );
  });
});
