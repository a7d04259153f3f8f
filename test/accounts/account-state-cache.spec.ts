import { AccountStateCache } from '../../src/accounts/write-path/account-state-cache';
import { estimatedStateBytes } from '../../src/accounts/write-path/state-weight';
import { evolve, initialState, type LedgerEvent, type LedgerState } from '../../src/ledger';
import { expectConsistent } from '../ledger/invariants';

const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system', id: 'test' },
  schemaVersion: 1,
} as LedgerEvent['metadata'];

/** A state folded from a grant and `spends` spends of one credit. */
function stateWithSpends(spends: number): LedgerState {
  const state = initialState();
  evolve(state, {
    type: 'CreditsGranted',
    data: { blockId: 'block_1', credits: 1_000, category: 'paid', reason: 'adjustment' },
    metadata,
  });
  for (let spend = 0; spend < spends; spend++)
    evolve(state, {
      type: 'CreditsSpent',
      data: {
        spendId: `spend_${spend}`,
        credits: 1,
        description: 'x',
        drawdown: [{ blockId: 'block_1', credits: 1 }],
      },
      metadata,
    });
  return state;
}

const cacheOf = (activeStates: number) =>
  new AccountStateCache({ maxStates: 100, maxBytes: 2 ** 30, activeStates });

describe('AccountStateCache', () => {
  it('caches a state loaded for any other reason than a write without its spends', () => {
    const cache = cacheOf(2);
    const loaded = stateWithSpends(30);
    cache.set('loaded', loaded);

    expect(cache.get('loaded')).toBe(loaded);
    expect(loaded).toMatchObject({ rememberedSpends: 0, forgottenSpends: 30, spends: {} });
    expect(loaded.unexpiredRemaining).toBe(970);
    expectConsistent(loaded);
    expect(cache.stats()).toMatchObject({ states: 1, idled: 1 });
  });

  it('lets the state of an account written less recently than the active ones forget its spends', () => {
    const cache = cacheOf(2);
    const first = stateWithSpends(30);
    const heavyBytes = estimatedStateBytes(first);
    cache.keep('first', first);
    cache.keep('second', stateWithSpends(30));
    // Read, not written: reads do not keep an account active.
    cache.get('first');
    expect(first.rememberedSpends).toBe(30);

    cache.keep('third', stateWithSpends(30));

    expect(cache.stats()).toMatchObject({ states: 3, evictions: 0, idled: 1 });
    expect(first).toMatchObject({ rememberedSpends: 0, forgottenSpends: 30, spends: {} });
    expectConsistent(first);
    // Weighed again: it is lighter now.
    expect(cache.stats().estimatedBytes).toBeLessThan(3 * heavyBytes);
    // A state loaded again for an active account keeps its spends.
    const second = stateWithSpends(30);
    cache.set('second', second);
    expect(second.rememberedSpends).toBe(30);
  });

  it('keeps the spends of an account written again before it left the active ones', () => {
    const cache = cacheOf(2);
    const first = stateWithSpends(3);
    cache.keep('first', first);
    cache.keep('second', stateWithSpends(3));
    cache.keep('first', first);
    cache.keep('third', stateWithSpends(3));

    expect(first.rememberedSpends).toBe(3);
    expect(cache.get('second')!.rememberedSpends).toBe(0);
  });

  it('does not touch a state that was dropped since', () => {
    const cache = cacheOf(1);
    const dropped = stateWithSpends(3);
    cache.keep('dropped', dropped);
    cache.delete('dropped');
    cache.keep('other', stateWithSpends(3));
    expect(dropped.rememberedSpends).toBe(3);
  });

  it('stays within its count limit as before', () => {
    const cache = new AccountStateCache({ maxStates: 2, maxBytes: 2 ** 30, activeStates: 10 });
    cache.keep('a', stateWithSpends(1));
    cache.keep('b', stateWithSpends(1));
    cache.keep('c', stateWithSpends(1));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ states: 2, evictions: 1, idled: 0 });
  });
});
