import { decideBatch } from '../../src/accounts/write-path/command-batch';
import { decide, evolve, initialState } from '../../src/ledger/decider';
import type { LedgerState } from '../../src/ledger/state';
import { timeOrderedUuid } from '../../src/shared/time-ordered-uuid';

/**
 * CPU per spend of the domain alone, as the write path runs it (decideBatch: lazy expiry, the
 * drawdown, the events with their metadata, the fold, the answer's view), on cached states of one
 * block each, no I/O. CPU time, not wall time, so a busy machine skews it less than the bench's
 * spend scenarios; rounds after a warm-up, each a spend on every state. Run:
 *
 *   npm run build && node dist/bench/probes/decide-cost.js [states] [rounds]
 */
const context = { correlationId: 'bench-decide', actor: { kind: 'apiKey', id: 'bench' } } as const;

function fundedStates(count: number): LedgerState[] {
  const now = new Date();
  return Array.from({ length: count }, (_, index) => {
    const state = initialState();
    const grant = decide(
      {
        kind: 'grant',
        blockId: `block_${index}`,
        credits: 1_000_000,
        category: 'promotional',
        reason: 'adjustment',
        description: 'bench decide-cost',
      },
      state,
      { ...context, now },
    );
    if (grant.kind !== 'accepted') throw new Error(`grant not accepted: ${grant.kind}`);
    for (const event of grant.events) evolve(state, event);
    return state;
  });
}

/** One spend on every state; µs of this process's CPU per spend. */
function spendRound(states: readonly LedgerState[]): number {
  const before = process.cpuUsage();
  for (const state of states) {
    const command = {
      kind: 'spend',
      spendId: `spend_${timeOrderedUuid()}`,
      credits: 1,
      description: 'bench decide-cost spend',
    } as const;
    const decided = decideBatch(state, [{ command, context }], new Date(), new Map());
    if (decided.decisions[0].kind !== 'written') throw new Error('spend not written');
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / states.length;
}

function main(): void {
  const count = Number(process.argv[2] ?? 10_000);
  const rounds = Number(process.argv[3] ?? 10);
  const states = fundedStates(count);
  // Warm-up: the optimizing compiler, and states of a few spends each as a running service has.
  for (let round = 0; round < 5; round++) spendRound(states);
  const perSpendUs = Array.from({ length: rounds }, () => spendRound(states)).sort((a, b) => a - b);
  const median = perSpendUs[Math.floor(perSpendUs.length / 2)];
  process.stdout.write(
    `decideBatch, one spend on each of ${count} one-block states, ${rounds} rounds: ` +
      `median ${median.toFixed(2)} µs of CPU per spend (min ${perSpendUs[0].toFixed(2)}, max ${perSpendUs.at(-1)!.toFixed(2)})\n`,
  );
}

main();
