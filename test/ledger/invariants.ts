import type { LedgerEvent, LedgerState } from '../../src/ledger';
import { cloneState, evolve, initialState } from '../../src/ledger';
import { RECORD_FIELDS, recordsOf } from '../../src/ledger/compact-state';
import { balanceChange } from './fixtures';

/**
 * LEDGER.md invariants 1 and 2, checked after every event of `events`: available and reserved never
 * negative, the state's totals agree with its blocks and holds, and balance = credits in − out.
 */
export function expectInvariantsAlong(
  events: readonly LedgerEvent[],
  from: LedgerState = initialState(),
): LedgerState {
  const state = cloneState(from);
  let balance = state.unexpiredRemaining + state.reserved;
  for (const event of events) {
    evolve(state, event);
    balance += balanceChange(event);
    expectConsistent(state, event);
    expect({
      revision: state.revision,
      balance: state.unexpiredRemaining + state.reserved,
    }).toEqual({
      revision: state.revision,
      balance,
    });
  }
  return state;
}

export function expectConsistent(state: LedgerState, event?: LedgerEvent): void {
  const blocks = Object.values(state.blocks);
  const holds = Object.values(state.extras.reservations);
  const problems: string[] = [];
  if (state.unexpiredRemaining < 0) problems.push(`available ${state.unexpiredRemaining} < 0`);
  if (state.reserved < 0) problems.push(`reserved ${state.reserved} < 0`);
  for (const block of blocks)
    if (block.remaining < 0) problems.push(`block ${block.blockId} at ${block.remaining}`);
  const inBlocks = blocks.reduce((sum, block) => sum + block.remaining, 0);
  if (inBlocks !== state.unexpiredRemaining)
    problems.push(`blocks hold ${inBlocks}, state says ${state.unexpiredRemaining}`);
  // The index deciding reads instead of every block (blocks.ts adjustRemaining keeps it).
  const withCredits = blocks.filter((block) => block.remaining > 0).map((block) => block.blockId);
  const indexed = [...state.blockIdsWithCredits];
  if (withCredits.sort().join() !== indexed.sort().join())
    problems.push(`blocks with credits ${withCredits.join()}, index says ${indexed.join()}`);
  // The count the account cache weighs a state by (putInState and removeFromState keep it).
  const keyed = RECORD_FIELDS.reduce(
    (sum, field) => sum + Object.keys(recordsOf(state, field)).length,
    0,
  );
  if (keyed !== state.keyedRecords)
    problems.push(`maps hold ${keyed} entries, keyedRecords says ${state.keyedRecords}`);
  const held = holds.reduce((sum, hold) => sum + hold.credits, 0);
  if (held !== state.reserved) problems.push(`holds hold ${held}, state says ${state.reserved}`);
  for (const hold of holds) {
    const inDrawdown = hold.drawdown.reduce((sum, part) => sum + part.credits, 0);
    if (inDrawdown !== hold.credits)
      problems.push(`hold ${hold.reservationId} drawdown ${inDrawdown} ≠ ${hold.credits}`);
  }
  expect({ after: event?.type, revision: state.revision, problems }).toEqual({
    after: event?.type,
    revision: state.revision,
    problems: [],
  });
}
