import { randomUUID } from 'node:crypto';
import type { CallerContext } from '../../src/accounts/write-path/caller-context';
import {
  ConcurrencyConflictError,
  LedgerRejectedError,
} from '../../src/accounts/write-path/errors';
import { loadConfig } from '../../src/config/load-config';
import type { EventStore, NewEvent } from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import type { LedgerCommand } from '../../src/ledger/commands';
import { ManualClock } from '../../src/shared/clock';
import { CALLER, grant, refund, spend } from './support/commands';
import { startWritePath } from './support/write-path';

const STREAM = 'credits-acct';

/** Another process: appends straight to the store, behind this write path's cache. */
function otherProcessGrants(
  store: Pick<EventStore, 'appendToStream'>,
  revision: number,
  credits: number,
): Promise<unknown> {
  const event: NewEvent = {
    eventId: randomUUID(),
    type: 'CreditsGranted',
    data: { blockId: `block_${randomUUID()}`, credits, category: 'paid', reason: 'adjustment' },
    metadata: {
      occurredAt: '2026-03-01T12:00:00.000Z',
      correlationId: 'other',
      actor: { kind: 'system', id: 'other' },
      schemaVersion: 1,
    },
  };
  return store.appendToStream(STREAM, [event], { expectedRevision: revision });
}

function setUp(store: EventStore, env: Record<string, string> = {}) {
  const config = loadConfig({ COMMAND_MAX_ATTEMPTS: '4', ...env });
  const { mailbox, metrics } = startWritePath(
    store,
    config,
    new ManualClock('2026-03-01T12:00:00.000Z'),
  );
  const run = (command: LedgerCommand, caller: CallerContext = CALLER) =>
    mailbox.submit('acct', command, caller);
  const conflicts = async () =>
    (await metrics.registry.getSingleMetric('ledger_command_conflicts_total')!.get()).values.reduce(
      (sum, value) => sum + value.value,
      0,
    );
  return { run, conflicts };
}

/** The in-memory store without appendExclusive, as an event store that cannot hold a stream. */
function withoutExclusive(store: InMemoryEventStore): EventStore {
  return new Proxy(store, {
    get: (target, property) =>
      property === 'appendExclusive' ? undefined : Reflect.get(target, property, target),
  });
}

/**
 * The write path as a whole (mailbox → retry policy → attempts → answers) on the in-memory
 * store; each unit also has its own spec (account-mailbox, retry-policy, answer-builder).
 */
describe('write path (AccountMailbox.submit)', () => {
  it('decides on the cached state: a second spend is one append, no read', async () => {
    const store = new InMemoryEventStore();
    const { run } = setUp(store);
    await run(grant(10));
    const reads = jest.spyOn(store, 'readStream');
    const outcome = await run(spend(3));
    expect(reads).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ balance: 7, available: 7, revision: 1, replayed: false });
  });

  it('after a conflict, decides again while holding the stream and succeeds', async () => {
    const store = new InMemoryEventStore();
    const { run, conflicts } = setUp(store);
    await run(grant(10));
    await otherProcessGrants(store, 0, 5);
    const outcome = await run(spend(3));
    expect(outcome).toMatchObject({ balance: 12, revision: 2 });
    expect(await conflicts()).toBe(1);
  });

  it('without exclusive appends, retries on fresh state and gives up with concurrency_conflict', async () => {
    const inner = new InMemoryEventStore();
    const store = withoutExclusive(inner);
    const { run, conflicts } = setUp(store);
    await run(grant(10));
    // Before every append of ours, the other process appends first.
    const append = inner.appendToStream.bind(inner);
    jest.spyOn(inner, 'appendToStream').mockImplementation(async (streamId, events, options) => {
      await otherProcessGrants({ appendToStream: append }, await inner.streamRevision(streamId), 1);
      return append(streamId, events, options);
    });
    await expect(run(spend(1))).rejects.toBeInstanceOf(ConcurrencyConflictError);
    expect(await conflicts()).toBe(4);
  });

  it('re-checks the store before refusing on a cached state', async () => {
    const store = new InMemoryEventStore();
    const { run } = setUp(store);
    await run(grant(1));
    await otherProcessGrants(store, 0, 10);
    const reads = jest.spyOn(store, 'readStream');
    await expect(run(spend(5))).resolves.toMatchObject({ balance: 6 });
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    await expect(run(spend(7))).rejects.toBeInstanceOf(LedgerRejectedError);
  });

  describe('refunds of spends the state has forgotten (RECENT_SPENDS_PER_ACCOUNT=2)', () => {
    /** A grant of 100 and spends of 10, 11, 12, …: the first ones are long forgotten. */
    async function spentAccount(store: EventStore) {
      const { run } = setUp(store, { RECENT_SPENDS_PER_ACCOUNT: '2' });
      await run(grant(100));
      const spendIds: string[] = [];
      for (let index = 0; index < 6; index++) {
        const command = spend(10 + index);
        spendIds.push((command as { spendId: string }).spendId);
        await run(command);
      }
      return { run, spendIds };
    }

    it('recalls the spend from the stream: partial refunds, then the rest, then spend_fully_refunded', async () => {
      const store = new InMemoryEventStore();
      const { run, spendIds } = await spentAccount(store);
      const finds = jest.spyOn(store, 'findInStream');
      await expect(run(refund(spendIds[0], 4))).resolves.toMatchObject({ balance: 29 });
      await expect(run(refund(spendIds[0]))).resolves.toMatchObject({ balance: 35 });
      await expect(run(refund(spendIds[0], 1))).rejects.toMatchObject({
        rejection: { code: 'spend_fully_refunded', spendId: spendIds[0] },
      });
      await expect(run(refund('spend_unknown'))).rejects.toMatchObject({
        rejection: { code: 'not_found', entity: 'spend' },
      });
      expect(finds).toHaveBeenCalledWith(STREAM, {
        dataField: 'spendId',
        equals: spendIds[0],
        throughRevision: 6,
        firstMatchType: 'CreditsSpent',
      });
    });

    it('refunds a spend made earlier in the same batch, though pruning dropped it from the state half-way', async () => {
      const store = new InMemoryEventStore();
      const { run } = setUp(store, {
        RECENT_SPENDS_PER_ACCOUNT: '1',
        ACCOUNT_CACHE_MAX_ENTRIES: '0',
      });
      const spends = [spend(1), spend(2), spend(3)];
      const answers = await Promise.all([
        run(grant(10)),
        ...spends.map((command) => run(command)),
        run(refund((spends[0] as { spendId: string }).spendId)),
      ]);
      expect(answers.at(-1)).toMatchObject({ balance: 5, revision: 4 });
    });

    it('decides two refunds of one recalled spend queued together: the second sees the first', async () => {
      const store = new InMemoryEventStore();
      const { run, spendIds } = await spentAccount(store);
      const appends = jest.spyOn(store, 'appendToStream');
      const [first, second, third] = await Promise.allSettled([
        run(refund(spendIds[1], 8)),
        run(refund(spendIds[1], 4)),
        run(refund(spendIds[1], 3)),
      ]);
      expect(appends).toHaveBeenCalledTimes(1);
      expect(first).toMatchObject({ status: 'fulfilled', value: { balance: 33 } });
      expect(second).toMatchObject({
        status: 'rejected',
        reason: { rejection: { code: 'refund_exceeds_spend', refundable: 3 } },
      });
      expect(third).toMatchObject({ status: 'fulfilled', value: { balance: 36 } });
    });

    it('folds a refund found in the tail while holding the stream into the recalled spend', async () => {
      const inner = new InMemoryEventStore();
      const { run, spendIds } = await spentAccount(inner);
      const other = setUp(inner, { RECENT_SPENDS_PER_ACCOUNT: '2' });
      const append = inner.appendToStream.bind(inner);
      const appendExclusive = inner.appendExclusive.bind(inner);
      // Our optimistic append loses to another process; while we reload and recall, it refunds 8 of 11.
      jest
        .spyOn(inner, 'appendToStream')
        .mockImplementationOnce(async (streamId, events, options) => {
          await otherProcessGrants(
            { appendToStream: append },
            await inner.streamRevision(streamId),
            1,
          );
          return append(streamId, events, options);
        });
      jest.spyOn(inner, 'appendExclusive').mockImplementationOnce(async (streamId, request) => {
        await other.run(refund(spendIds[1], 8));
        return appendExclusive(streamId, request);
      });
      await expect(run(refund(spendIds[1], 4))).rejects.toMatchObject({
        rejection: { code: 'refund_exceeds_spend', refundable: 3 },
      });
    });

    it.each([
      ['holding the stream', (store: InMemoryEventStore): EventStore => store],
      ['with optimistic retries', withoutExclusive],
    ])(
      'sees a refund another process wrote behind the cache (%s): never refunds twice',
      async (_name, wrap) => {
        const inner = new InMemoryEventStore();
        const { run, spendIds } = await spentAccount(wrap(inner));
        const other = setUp(inner, { RECENT_SPENDS_PER_ACCOUNT: '2' });
        await other.run(refund(spendIds[1], 8)); // 11 spent, 8 refunded elsewhere: 3 left
        await expect(run(refund(spendIds[1], 4))).rejects.toMatchObject({
          rejection: { code: 'refund_exceeds_spend', refundable: 3 },
        });
        await expect(run(refund(spendIds[1]))).resolves.toMatchObject({ balance: 100 - 75 + 11 });
      },
    );
  });

  it('answers an idempotent replay with the first answer and its position', async () => {
    const store = new InMemoryEventStore();
    const { run } = setUp(store);
    await run(grant(10));
    const keyed: CallerContext = { ...CALLER, idempotencyKey: 'k1', requestHash: 'h1' };
    const first = await run(spend(4), keyed);
    await run(spend(1));
    const replay = await run(spend(4), keyed);
    expect(replay).toMatchObject({
      replayed: true,
      balance: 6,
      revision: first.revision,
      position: first.position,
    });
    expect(replay.events).toEqual(
      first.events.filter((event) => event.metadata.idempotencyKey === 'k1'),
    );
  });

  it('writes commands that queued for one account in one append, answering each as if alone', async () => {
    const store = new InMemoryEventStore();
    const { run } = setUp(store);
    await run(grant(5));
    const appends = jest.spyOn(store, 'appendToStream');
    const keyed: CallerContext = { ...CALLER, idempotencyKey: 'same', requestHash: 'h' };
    const answers = await Promise.allSettled([
      run(spend(2)),
      run(spend(4)),
      run(spend(3)),
      run(spend(1), keyed),
      run(spend(1), keyed),
    ]);
    expect(appends.mock.calls.length).toBeLessThanOrEqual(2);
    expect(answers.map((answer) => answer.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    const [first, , third] = answers as Array<
      PromiseFulfilledResult<{ revision: number; balance: number }>
    >;
    expect([first.value.revision, first.value.balance]).toEqual([1, 3]);
    expect([third.value.revision, third.value.balance]).toEqual([2, 0]);
    expect((await store.readStream(STREAM)).map((event) => event.type)).toEqual([
      'CreditsGranted',
      'CreditsSpent',
      'CreditsSpent',
    ]);
  });

  it('drops the cached state when deciding a batch fails half-way, then runs each command alone', async () => {
    const store = new InMemoryEventStore();
    const { run } = setUp(store);
    const first = grant(10) as Extract<LedgerCommand, { kind: 'grant' }>;
    await run(first);
    // A reused block id is a programming error the decider throws on, after the spend was folded.
    // Only the guilty command fails: the spend decided before it is run again on its own.
    const answers = await Promise.allSettled([run(spend(4)), run({ ...first, credits: 1 })]);
    expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected']);
    expect(await store.readStream(STREAM)).toHaveLength(2);
    // The cache holds exactly the fold of the stream: 6 left, not 6 minus a spend folded twice.
    await expect(run(spend(6))).resolves.toMatchObject({ balance: 0, revision: 2 });
  });
});
