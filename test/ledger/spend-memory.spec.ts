import type { LedgerCommand, LedgerEvent, LedgerState, RefundSpendCommand } from '../../src/ledger';
import { decide, evolve, initialState } from '../../src/ledger';
import {
  foldIntoRecalled,
  refundTargets,
  spendIdsToLookUp,
  type RecalledSpends,
} from '../../src/ledger/compact-state';
import { contextOf, deepFreeze } from './given-when-then';
import { HOUR, after, granted, refunded, spent } from './fixtures';

/** With 3 kept, pruning runs once 5 are remembered (3 + a quarter of 3, rounded up) and keeps 3. */
const OPTIONS = { recentSpendsKept: 3 };

const refund = (spendId: string, credits?: number): RefundSpendCommand => ({
  kind: 'refund',
  refundId: `rf-${spendId}`,
  spendId,
  reason: 'failed',
  ...(credits !== undefined && { credits }),
});

function fold(
  events: readonly LedgerEvent[],
  state: LedgerState = initialState(OPTIONS),
): LedgerState {
  for (const event of events) evolve(state, event);
  return state;
}

/** A grant, then spends s1…sN of `credits` each. */
function spendsOf(count: number, credits = 2): LedgerEvent[] {
  return [
    granted('g', 1_000),
    ...Array.from({ length: count }, (_, index) => spent(`s${index + 1}`, { g: credits })),
  ];
}

describe('spend memory (bounded spends in the state)', () => {
  it('keeps the most recent spends and counts the forgotten ones', () => {
    const state = fold(spendsOf(10));
    // Pruned at s5, s7 and s9 down to the newest 3, then s10 came.
    expect(Object.keys(state.spends).sort()).toEqual(['s10', 's7', 's8', 's9']);
    expect(state).toMatchObject({
      rememberedSpends: 4,
      forgottenSpends: 6,
      unexpiredRemaining: 980,
    });
  });

  it('prunes a quarter of the limit at a time: never more than kept + a quarter remembered', () => {
    const counts: number[] = [];
    const state = initialState(OPTIONS);
    for (const event of spendsOf(12)) {
      evolve(state, event);
      counts.push(Object.keys(state.spends).length);
      expect(state.rememberedSpends).toBe(counts.at(-1));
    }
    expect(Math.max(...counts)).toBe(4);
  });

  it('keeps a refunded spend over newer untouched ones (most recently touched first)', () => {
    const state = fold([
      ...spendsOf(3),
      refunded('rf', 's1', { g: 1 }),
      spent('s4', { g: 2 }),
      spent('s5', { g: 2 }),
    ]);
    expect(Object.keys(state.spends).sort()).toEqual(['s1', 's4', 's5']);
    expect(state.spends.s1.refundable).toEqual([{ blockId: 'g', credits: 1 }]);
  });

  it('folds a refund of a forgotten spend into the blocks', () => {
    const state = fold([...spendsOf(10), refunded('rf', 's1', { g: 2 })]);
    expect(state.unexpiredRemaining).toBe(982);
    expect(state.spends.s1).toBeUndefined();
  });

  it('still refuses to fold a refund of a spend no fold has seen, while nothing was forgotten', () => {
    expect(() => fold([...spendsOf(2), refunded('rf', 'nope', { g: 1 })])).toThrow(
      /refund of unknown spend nope/,
    );
  });

  it('forgets the same spends whichever way the stream is folded (straight, or through a snapshot)', () => {
    const events = [
      ...spendsOf(23),
      refunded('rf', 's20', { g: 1 }),
      ...spendsOf(9)
        .slice(1)
        .map(
          (event, index) =>
            ({ ...event, data: { ...event.data, spendId: `t${index}` } }) as LedgerEvent,
        ),
    ];
    const straight = fold(events);
    const snapshot = JSON.parse(JSON.stringify(fold(events.slice(0, 17)))) as LedgerState;
    expect(fold(events.slice(17), { ...snapshot, options: straight.options })).toEqual(straight);
  });

  describe('the spends a batch of refunds needs (never in the state)', () => {
    const history = [...spendsOf(10, 5), refunded('rf-a', 's1', { g: 2 })];
    /** As the application does it: the state's copies, then the stream's events for the others. */
    const recall = (
      state: LedgerState,
      commands: LedgerCommand[],
      events: readonly LedgerEvent[] = history,
    ): RecalledSpends => {
      const recalled = refundTargets(state, commands);
      const lookUp = new Set(spendIdsToLookUp(state, recalled));
      for (const event of events)
        if ('spendId' in event.data && lookUp.has(event.data.spendId))
          foldIntoRecalled(recalled, event);
      return recalled;
    };
    const at = () => contextOf({ now: after(HOUR) });

    it('copies what the state remembers and names what only the stream can tell, once each', () => {
      const state = fold(history);
      const recalled = refundTargets(state, [
        refund('s1'),
        refund('s10'),
        refund('s1'),
        refund('s2'),
        { kind: 'spend', spendId: 's99', credits: 1, description: 'x' },
      ]);
      expect([...recalled]).toEqual([
        ['s1', null],
        ['s10', { refundable: [{ blockId: 'g', credits: 5 }] }],
        ['s2', null],
      ]);
      expect(recalled.get('s10')!.refundable).not.toBe(state.spends.s10.refundable);
      expect(spendIdsToLookUp(state, recalled)).toEqual(['s1', 's2']);
      const young = fold(spendsOf(2));
      expect(spendIdsToLookUp(young, refundTargets(young, [refund('s9')]))).toEqual([]); // nothing forgotten: nothing to look up
    });

    it('decides on a forgotten spend as the stream has it, refunds included, and leaves the state alone', () => {
      const state = deepFreeze(fold(history));
      const recalled = recall(state, [refund('s1')]);
      expect(recalled.get('s1')).toEqual({ refundable: [{ blockId: 'g', credits: 3 }] });
      expect(decide(refund('s1', 4), state, at(), recalled)).toMatchObject({
        kind: 'rejected',
        rejection: { code: 'refund_exceeds_spend', refundable: 3, requested: 4 },
      });
      const accepted = decide(refund('s1'), state, at(), recalled);
      expect(accepted.kind === 'accepted' && accepted.events.map((event) => event.data)).toEqual([
        expect.objectContaining({
          spendId: 's1',
          credits: 3,
          returnedTo: [{ blockId: 'g', credits: 3 }],
        }),
      ]);
      expect(state.spends.s1).toBeUndefined();
    });

    it('without it a forgotten spend is unknown; a spend no event names stays unknown', () => {
      const state = fold(history);
      expect(decide(refund('s1'), state, at())).toMatchObject({
        kind: 'rejected',
        rejection: { code: 'not_found', id: 's1' },
      });
      const recalled = recall(state, [refund('nope')]);
      expect(recalled.get('nope')).toBeNull();
      expect(decide(refund('nope'), state, at(), recalled)).toMatchObject({
        kind: 'rejected',
        rejection: { code: 'not_found', entity: 'spend', id: 'nope' },
      });
    });

    it('follows the batch: a spend made in it, later refunds, and ignores spends no refund names', () => {
      const state = fold(history);
      const recalled = recall(state, [refund('s2'), refund('s12')]);
      for (const event of [
        refunded('rf-b', 's2', { g: 4 }),
        refunded('rf-c', 's3', { g: 5 }),
        spent('s11', { g: 1 }),
        spent('s12', { g: 2 }),
        refunded('rf-d', 's12', { g: 1 }),
      ]) {
        foldIntoRecalled(recalled, event);
      }
      expect([...recalled]).toEqual([
        ['s2', { refundable: [{ blockId: 'g', credits: 1 }] }],
        ['s12', { refundable: [{ blockId: 'g', credits: 1 }] }],
      ]);
    });
  });
});
