import type { LedgerEvent, LedgerState, RefundSpend } from '../../src/ledger';
import { decide, evolve, initialState } from '../../src/ledger';
import { foldIntoRecalled, recallSpend, spendIdsToRecall, type RecalledSpends } from '../../src/ledger/spend-memory';
import { contextOf, deepFreeze } from './given-when-then';
import { HOUR, after, granted, refunded, spent } from './fixtures';

/** With 3 kept, pruning runs once 5 are remembered (3 + a quarter of 3, rounded up) and keeps 3. */
const OPTIONS = { recentSpendsKept: 3 };

const refund = (spendId: string, credits?: number): RefundSpend => ({
  kind: 'refund', refundId: `rf-${spendId}`, spendId, reason: 'failed', ...(credits !== undefined && { credits }),
});

function fold(events: readonly LedgerEvent[], state: LedgerState = initialState(OPTIONS)): LedgerState {
  for (const event of events) evolve(state, event);
  return state;
}

/** A grant, then spends s1…sN of `credits` each. */
function spendsOf(count: number, credits = 2): LedgerEvent[] {
  return [granted('g', 1_000), ...Array.from({ length: count }, (_, index) => spent(`s${index + 1}`, { g: credits }))];
}

describe('spend memory (bounded spends in the state)', () => {
  it('keeps the most recent spends and counts the forgotten ones', () => {
    const state = fold(spendsOf(10));
    // Pruned at s5, s7 and s9 down to the newest 3, then s10 came.
    expect(Object.keys(state.spends).sort()).toEqual(['s10', 's7', 's8', 's9']);
    expect(state).toMatchObject({ rememberedSpends: 4, forgottenSpends: 6, unexpiredRemaining: 980 });
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
    const state = fold([...spendsOf(3), refunded('rf', 's1', { g: 1 }), spent('s4', { g: 2 }), spent('s5', { g: 2 })]);
    expect(Object.keys(state.spends).sort()).toEqual(['s1', 's4', 's5']);
    expect(state.spends.s1.refundable).toEqual([{ blockId: 'g', credits: 1 }]);
  });

  it('folds a refund of a forgotten spend into the blocks', () => {
    const state = fold([...spendsOf(10), refunded('rf', 's1', { g: 2 })]);
    expect(state.unexpiredRemaining).toBe(982);
    expect(state.spends.s1).toBeUndefined();
  });

  it('still refuses to fold a refund of a spend no fold has seen, while nothing was forgotten', () => {
    expect(() => fold([...spendsOf(2), refunded('rf', 'nope', { g: 1 })])).toThrow(/refund of unknown spend nope/);
  });

  it('forgets the same spends whichever way the stream is folded (straight, or through a snapshot)', () => {
    const events = [...spendsOf(23), refunded('rf', 's20', { g: 1 }), ...spendsOf(9).slice(1).map((event, index) => ({ ...event, data: { ...event.data, spendId: `t${index}` } }) as LedgerEvent)];
    const straight = fold(events);
    const snapshot = JSON.parse(JSON.stringify(fold(events.slice(0, 17)))) as LedgerState;
    expect(fold(events.slice(17), { ...snapshot, options: straight.options })).toEqual(straight);
  });

  describe('recall (for a decision, never into the state)', () => {
    const history = [...spendsOf(10, 5), refunded('rf-a', 's1', { g: 2 })];
    const recall = (spendId: string, events: readonly LedgerEvent[] = history): RecalledSpends => {
      const recalled: RecalledSpends = new Map();
      recallSpend(recalled, spendId, events);
      return recalled;
    };
    const at = (recalledSpends?: RecalledSpends) => contextOf({ now: after(HOUR), ...(recalledSpends && { recalledSpends }) });

    it('names the refunds whose spend may be forgotten, once each', () => {
      const state = fold(history);
      expect(spendIdsToRecall(state, [refund('s1'), refund('s10'), refund('s1'), refund('s2'),
        { kind: 'spend', spendId: 's99', credits: 1, description: 'x' }])).toEqual(['s1', 's2']);
      expect(spendIdsToRecall(fold(spendsOf(2)), [refund('s1')])).toEqual([]);
    });

    it('decides on a forgotten spend as the stream has it, refunds included, and leaves the state alone', () => {
      const state = deepFreeze(fold(history));
      const recalled = recall('s1');
      expect(recalled.get('s1')).toEqual({ refundable: [{ blockId: 'g', credits: 3 }] });
      expect(decide(refund('s1', 4), state, at(recalled))).toMatchObject({
        kind: 'rejected', rejection: { code: 'refund_exceeds_spend', refundable: 3, requested: 4 },
      });
      const accepted = decide(refund('s1'), state, at(recalled));
      expect(accepted.kind === 'accepted' && accepted.events.map((event) => event.data)).toEqual([
        expect.objectContaining({ spendId: 's1', credits: 3, returnedTo: [{ blockId: 'g', credits: 3 }] }),
      ]);
      expect(state.spends.s1).toBeUndefined();
    });

    it('without the recall, a forgotten spend is unknown; a spend the events lack is never recalled', () => {
      const state = fold(history);
      expect(decide(refund('s1'), state, at())).toMatchObject({ kind: 'rejected', rejection: { code: 'not_found', id: 's1' } });
      expect(recall('nope').size).toBe(0);
      expect(decide(refund('nope'), state, at(recall('nope')))).toMatchObject({
        kind: 'rejected', rejection: { code: 'not_found', entity: 'spend', id: 'nope' },
      });
    });

    it('follows later refunds folded after the recall (foldIntoRecalled), and ignores other spends', () => {
      const recalled = recall('s2');
      for (const event of [refunded('rf-b', 's2', { g: 4 }), refunded('rf-c', 's3', { g: 5 }), spent('s11', { g: 1 })]) foldIntoRecalled(recalled, event);
      expect([...recalled]).toEqual([['s2', { refundable: [{ blockId: 'g', credits: 1 }] }]]);
    });
  });
});
