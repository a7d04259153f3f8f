import { loadConfig } from '../../src/config/load-config';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import type { LedgerCommand } from '../../src/ledger/commands';
import { ManualClock } from '../../src/shared/clock';
import { CALLER, grant, refund, spend } from './support/commands';
import { startWritePath } from './support/write-path';

/**
 * Issue 20 (memory): a cached state that leaves the ACCOUNT_CACHE_ACTIVE_STATES most recently used
 * forgets its remembered spends. A refund of one of them then recalls it from the stream, and is
 * decided exactly as it would have been.
 */
describe('an account whose cached state went idle', () => {
  function setUp(activeStates: string) {
    const store = new InMemoryEventStore();
    const { mailbox, repository } = startWritePath(
      store,
      loadConfig({ ACCOUNT_CACHE_ACTIVE_STATES: activeStates }),
      new ManualClock('2026-03-01T12:00:00.000Z'),
    );
    const run = (accountId: string, command: LedgerCommand) =>
      mailbox.submit(accountId, command, CALLER);
    return { store, repository, run };
  }

  async function spendThenIdle(activeStates: string) {
    const context = setUp(activeStates);
    await context.run('acct', grant(100, 'block_acct'));
    await context.run('acct', spend(30, 'spend_a'));
    await context.run('acct', spend(20, 'spend_b'));
    // Other accounts used since: 'acct' is no longer among the most recently used.
    for (const other of ['other-1', 'other-2']) await context.run(other, grant(5));
    return context;
  }

  it('refunds its spends as an active one does, recalling them from the stream', async () => {
    const idle = await spendThenIdle('1');
    const active = await spendThenIdle('10');
    const finds = jest.spyOn(idle.store, 'findInStream');
    expect(idle.repository.cacheStats().idled).toBeGreaterThanOrEqual(1);
    expect((await idle.repository.load('acct')).rememberedSpends).toBe(0);
    expect((await active.repository.load('acct')).rememberedSpends).toBe(2);

    for (const { run } of [idle, active]) {
      await expect(run('acct', refund('spend_a', 10))).resolves.toMatchObject({ balance: 60 });
      await expect(run('acct', refund('spend_a'))).resolves.toMatchObject({ balance: 80 });
      await expect(run('acct', refund('spend_a', 1))).rejects.toMatchObject({
        rejection: { code: 'spend_fully_refunded' },
      });
      await expect(run('acct', refund('spend_b'))).resolves.toMatchObject({ balance: 100 });
      await expect(run('acct', refund('spend_unknown'))).rejects.toMatchObject({
        rejection: { code: 'not_found', entity: 'spend' },
      });
    }
    expect(finds).toHaveBeenCalled();
    // Both streams hold the same refunds, credit for credit.
    const refunds = async (store: InMemoryEventStore) =>
      (await store.readStream('credits-acct'))
        .filter((event) => event.type === 'CreditsRefunded')
        .map((event) => {
          const data = event.data as { spendId: string; credits: number; returnedTo: unknown };
          return [data.spendId, data.credits, data.returnedTo];
        });
    expect(await refunds(idle.store)).toEqual(await refunds(active.store));
  });
});
