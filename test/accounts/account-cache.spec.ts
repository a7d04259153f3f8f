import { randomUUID } from 'node:crypto';
import { AccountCacheMetrics } from '../../src/accounts/write-path/account-cache-metrics';
import { AccountRepository } from '../../src/accounts/write-path/account-repository';
import { estimatedStateBytes, LIGHT_STATE_BYTES } from '../../src/accounts/write-path/state-weight';
import { loadConfig } from '../../src/config/load-config';
import { NO_STREAM_REVISION, type NewEvent } from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { evolve } from '../../src/ledger/decider';
import { toLedgerEvent } from '../../src/ledger/upcast';
import { MetricsRegistry } from '../../src/observability/metrics-registry';

const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system', id: 'test' },
  schemaVersion: 1,
};

function spendEvent(spendId: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CreditsSpent',
    data: { spendId, credits: 1, description: 'x', drawdown: [{ blockId: 'block_1', credits: 1 }] },
    metadata,
  };
}

function grantEvent(blockId: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CreditsGranted',
    data: { blockId, credits: 1_000_000, category: 'paid', reason: 'adjustment' },
    metadata,
  };
}

/**
 * `grants` grants (block_1 first) and `spends` spends. The state keeps a record per block for
 * good; spends only while its account is among the most recently written (AccountStateCache), so
 * the heavy states here are heavy in blocks.
 */
async function seed(
  store: InMemoryEventStore,
  accountId: string,
  { grants = 1, spends = 0 }: { grants?: number; spends?: number },
): Promise<void> {
  const events: NewEvent[] = [];
  for (let grant = 1; grant <= grants; grant++) events.push(grantEvent(`block_${grant}`));
  for (let spend = 0; spend < spends; spend++) events.push(spendEvent(`spend_${spend}`));
  await store.appendToStream(`credits-${accountId}`, events, {
    expectedRevision: NO_STREAM_REVISION,
  });
}

/**
 * Issue 20: the account cache is bounded by its states' estimated bytes (ACCOUNT_CACHE_MAX_MB) as
 * well as their number. A busy account's state keeps up to 1,250 spends (≈ 300 KB), and an old one
 * every block it was ever granted, so a bound on entries alone let 10,000 such accounts hold
 * gigabytes.
 */
describe('the account state cache', () => {
  const store = new InMemoryEventStore();

  beforeAll(async () => {
    for (const busy of ['busy-1', 'busy-2', 'busy-3', 'busy-4'])
      await seed(store, busy, { grants: 1_000 });
    for (let small = 0; small < 50; small++) await seed(store, `small-${small}`, { spends: 2 });
  });

  it('drops the least recently used states once their estimated bytes pass ACCOUNT_CACHE_MAX_MB', async () => {
    const repository = new AccountRepository(store, loadConfig({ ACCOUNT_CACHE_MAX_MB: '1' }));
    const busyBytes = estimatedStateBytes(await repository.refresh('busy-1'));
    expect(busyBytes).toBeGreaterThan(300_000);
    for (const busy of ['busy-2', 'busy-3', 'busy-4']) await repository.refresh(busy);

    const stats = repository.cacheStats();
    expect(stats.states).toBe(3);
    expect(stats.estimatedBytes).toBe(3 * busyBytes);
    expect(stats.estimatedBytes).toBeLessThanOrEqual(2 ** 20);
    expect(stats.evictions).toBe(1);
    // The oldest went: loading it again is a fold from the stream, the same state.
    const reloaded = await repository.refresh('busy-1');
    expect(reloaded.revision).toBe(999);
    expect(repository.cacheStats().evictions).toBe(2);
  });

  it('keeps many small states within the same bytes', async () => {
    const repository = new AccountRepository(store, loadConfig({ ACCOUNT_CACHE_MAX_MB: '1' }));
    for (let small = 0; small < 50; small++) await repository.refresh(`small-${small}`);
    expect(estimatedStateBytes(await repository.load('small-0'))).toBeLessThan(LIGHT_STATE_BYTES);
    expect(repository.cacheStats()).toEqual({
      states: 50,
      // ≈ 1.3 KB each, counted as the light minimum.
      estimatedBytes: 50 * LIGHT_STATE_BYTES,
      evictions: 0,
      // Read, never written here: cached without their two spends each.
      idled: 50,
    });
  });

  it('weighs a cached state again after each append: a state that grows pushes others out', async () => {
    const repository = new AccountRepository(store, loadConfig({ ACCOUNT_CACHE_MAX_MB: '1' }));
    for (const busy of ['busy-1', 'busy-2', 'busy-3']) await repository.refresh(busy);
    await seed(store, 'growing', {});
    const growing = await repository.refresh('growing');
    expect(repository.cacheStats().evictions).toBe(0);

    // What the write path does: fold the new events into the cached state, then append them.
    const base = growing.revision;
    const spends = Array.from({ length: 500 }, (_, spend) =>
      toLedgerEvent(spendEvent(`grow_${spend}`)),
    );
    for (const event of spends) evolve(growing, event);
    await repository.appendFolded('growing', growing, base, spends);

    expect(repository.cacheStats().evictions).toBe(1);
    expect(await repository.load('growing')).toBe(growing);
  });

  it('shows its size, estimated bytes and evictions on /metrics', async () => {
    const repository = new AccountRepository(store, loadConfig({ ACCOUNT_CACHE_MAX_MB: '1' }));
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    new AccountCacheMetrics(repository, metrics);
    for (const busy of ['busy-1', 'busy-2', 'busy-3', 'busy-4']) await repository.refresh(busy);
    const { states, estimatedBytes } = repository.cacheStats();

    const text = await metrics.registry.metrics();

    expect(text).toContain(`ledger_account_cache_states ${states}`);
    expect(text).toContain(`ledger_account_cache_estimated_bytes ${estimatedBytes}`);
    expect(text).toContain('ledger_account_cache_evictions_total 1');
    expect(text).toContain('ledger_account_cache_idled_total 0');
    expect(await metrics.registry.metrics()).toContain('ledger_account_cache_evictions_total 1');
  });
});
