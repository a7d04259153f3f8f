import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { AccountQueries } from '../../src/accounts/queries/account-queries';
import type { AccountMailbox } from '../../src/accounts/write-path/account-mailbox';
import type { AccountRepository } from '../../src/accounts/write-path/account-repository';
import { LedgerRejectedError } from '../../src/accounts/write-path/errors';
import type { WriteOutcome } from '../../src/accounts/write-path/write-outcome';
import { auditStream } from '../../src/audit';
import { loadConfig } from '../../src/config/load-config';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import {
  evolve,
  initialState,
  streamIdFor,
  toLedgerEvent,
  viewAt,
  type LedgerState,
} from '../../src/ledger';
import { ManualClock } from '../../src/shared/clock';
import { startWritePath } from '../accounts/support/write-path';
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
 * The same workloads through the real application layer: AccountMailbox (per-account queue,
 * state cache, optimistic append, exclusive retry) on the in-memory event store, with two
 * "processes" (two write paths, each with its own cache) sharing the store, and a cache that may be
 * too small to hold every account. Commands between two clock moves are sent at once, without
 * waiting (one process per account per batch, so each account's order is the order sent).
 * Checked after every batch, for every account:
 * - each answer (or refusal) is the reference model's;
 * - the stored stream, folded from scratch, gives the reference model's balances and blocks;
 * - each writer's cached state equals the stream folded from scratch up to the revision it knows
 *   (caches are left stale on purpose, so the next batch on the other process conflicts and retries);
 * - a reader's state (its cache plus the stream's tail) equals the fresh fold, field by field, and
 *   its strongly consistent reads (AccountQueries.balance, and balanceAt now) agree;
 * - the stream passes the audit (gapless revisions, every invariant) with no violation.
 */
const MIN_RETENTION_DAYS = '3650';

interface Process {
  repository: AccountRepository;
  mailbox: AccountMailbox;
  queries: AccountQueries;
}

function startProcess(
  store: InMemoryEventStore,
  clock: ManualClock,
  cacheEntries: number,
  recentSpends: number,
  activeStates = 10_000,
): Process {
  const config = loadConfig({
    IDEMPOTENCY_RETENTION_DAYS: MIN_RETENTION_DAYS,
    ACCOUNT_CACHE_MAX_ENTRIES: String(cacheEntries),
    ACCOUNT_CACHE_ACTIVE_STATES: String(activeStates),
    COMMAND_MAX_ATTEMPTS: '5',
    RECENT_SPENDS_PER_ACCOUNT: String(recentSpends),
  });
  const { repository, mailbox } = startWritePath(store, config, clock);
  return { repository, mailbox, queries: new AccountQueries(repository, mailbox, clock) };
}

/**
 * The account's stream folded from scratch (up to a revision), remembering every spend. A cached
 * state remembers a subset of them: the account cache makes idle states forget theirs
 * (forgetAllSpends) whenever it likes, after which pruning falls at other points of the stream,
 * so it may keep a spend that a pruned fresh fold forgot. Never a spend no fold could know, and
 * never a different record of one.
 */
async function freshFold(
  store: InMemoryEventStore,
  accountId: string,
  template: LedgerState,
  toRevision = Infinity,
): Promise<LedgerState> {
  const state = initialState({ ...template.options, recentSpendsKept: Number.MAX_SAFE_INTEGER });
  for (const recorded of await store.readStream(streamIdFor(accountId))) {
    if (recorded.revision > toRevision) break;
    evolve(state, toLedgerEvent(recorded));
  }
  return state;
}

/**
 * What a state knows, as JSON, less the spends it remembers (their counts, and the option that
 * bounds them): `rememberedByAll` checks those.
 */
function withoutSpendMemory(state: LedgerState): unknown {
  const { spends, rememberedSpends, forgottenSpends, keyedRecords, options, ...rest } = JSON.parse(
    JSON.stringify(state),
  ) as LedgerState;
  void spends;
  void forgottenSpends;
  return {
    ...rest,
    options: { ...options, recentSpendsKept: 'any' },
    keyedRecords: keyedRecords - rememberedSpends,
  };
}

/** Every spend `cached` remembers, the fold that forgets none remembers the same. */
function rememberedByAll(cached: LedgerState, rememberingAll: LedgerState): boolean {
  return Object.entries(cached.spends).every(([spendId, spend]) => {
    const known = rememberingAll.spends[spendId];
    return known !== undefined && isDeepStrictEqualJson(spend, known);
  });
}

/** Cheap deep equality for plain JSON states (toEqual only runs to explain a difference). */
function isDeepStrictEqualJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

function fail(message: string): never {
  throw new Error(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  const sortKeys = (value: unknown): string =>
    JSON.stringify(value, (_key, inner: unknown) =>
      inner && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : inner,
    );
  if (sortKeys(actual) !== sortKeys(expected))
    fail(`${what}: application ${sortKeys(actual)}, reference ${sortKeys(expected)}`);
}

function checkAnswer(
  settled: PromiseSettledResult<WriteOutcome>,
  expected: Answer,
  after: Account,
  before: Account,
  now: number,
  what: string,
): void {
  if (expected.kind === 'rejected') {
    if (settled.status === 'fulfilled')
      fail(`${what}: accepted, reference refuses with ${expected.code}`);
    const error = settled.reason;
    if (!(error instanceof LedgerRejectedError)) fail(`${what}: failed with ${String(error)}`);
    same(error.rejection.code, expected.code, `${what}: refusal`);
    return;
  }
  if (settled.status === 'rejected')
    fail(`${what}: refused (${String(settled.reason)}), reference answers ${expected.kind}`);
  const outcome = settled.value;
  const numbers = {
    balance: outcome.balance,
    available: outcome.available,
    reserved: outcome.reserved,
  };
  switch (expected.kind) {
    case 'accepted':
      same(
        { replayed: outcome.replayed, numbers },
        { replayed: false, numbers: totals(after) },
        `${what}: answer`,
      );
      break;
    case 'noop':
      // The first purchase's answer: the account right after it, not as it is now.
      same(
        { replayed: outcome.replayed, duplicate: Boolean(outcome.duplicatePurchase), numbers },
        { replayed: true, duplicate: true, numbers: expected.answer },
        `${what}: answer`,
      );
      break;
    case 'replayed':
      same(
        { replayed: outcome.replayed, numbers },
        { replayed: true, numbers: expected.answer },
        `${what}: answer`,
      );
      break;
  }
}

async function runWorkload(
  ops: readonly Op[],
  cacheEntries: number,
  routing: readonly number[],
  recentSpends: number,
  activeStates: number,
): Promise<void> {
  const store = new InMemoryEventStore();
  const clock = new ManualClock(new Date(START));
  const processes = [
    startProcess(store, clock, cacheEntries, recentSpends, activeStates),
    startProcess(store, clock, cacheEntries, recentSpends, activeStates),
  ];
  const reader = startProcess(store, clock, 100, recentSpends);
  const ids = new Ids();
  let models: Account[] = ACCOUNTS.map(() => emptyAccount());
  const sent: SentWithKey = ACCOUNTS.map(() => []);
  let batch: {
    step: Step;
    expected: Answer;
    before: Account;
    after: Account;
    promise: Promise<WriteOutcome>;
    what: string;
  }[] = [];
  let batchNumber = 0;
  // The reference model is one account; which account holds a purchase reference is ledger-wide
  // (the event store's claim), so it is kept here: the first account whose purchase of it was
  // accepted. Purchases of one reference by two accounts in one batch would race (accounts run
  // concurrently), so a batch ends before the second.
  const refHolders = new Map<string, number>();
  let refsInBatch = new Map<string, number>();

  const flush = async () => {
    const results = await Promise.allSettled(batch.map((entry) => entry.promise));
    batch.forEach((entry, index) =>
      checkAnswer(
        results[index],
        entry.expected,
        entry.after,
        entry.before,
        clock.now().getTime(),
        entry.what,
      ),
    );
    batch = [];
    refsInBatch = new Map();
    batchNumber += 1;
    await compareStreams();
  };

  const compareStreams = async () => {
    const now = clock.now().getTime();
    for (let account = 0; account < ACCOUNTS.length; account++) {
      const accountId = ACCOUNTS[account];
      const what = `batch ${batchNumber}, ${accountId} at ${clock.now().toISOString()}`;
      const model = models[account];
      const fresh = await freshFold(store, accountId, processes[0].repository.newState());
      same(
        { available: fresh.unexpiredRemaining, reserved: fresh.reserved },
        { available: totals(model).available, reserved: totals(model).reserved },
        `${what}: stream folded`,
      );
      const view = viewAt(fresh, clock.now());
      same(
        { balance: view.balance, available: view.available, reserved: view.reserved },
        referenceViewAt(model, now),
        `${what}: view now`,
      );
      same(
        Object.fromEntries(view.blocks.map((block) => [block.blockId, block.remaining])),
        lotsAt(model, now),
        `${what}: blocks now`,
      );
      // The writers' caches are left as they are (stale ones make the next batch conflict): each must
      // equal the stream folded from scratch up to the revision it knows.
      for (const [index, process] of processes.entries()) {
        const cached = await process.repository.load(accountId);
        const upTo = await freshFold(store, accountId, cached, cached.revision);
        if (
          !isDeepStrictEqualJson(withoutSpendMemory(cached), withoutSpendMemory(upTo)) ||
          !rememberedByAll(cached, upTo)
        )
          expect({ process: index, cached }).toEqual({ process: index, cached: upTo });
      }
      // A reader's cache plus the stream's tail is the fresh fold (less spends it forgot), and its
      // reads agree.
      const current = await reader.repository.refresh(accountId);
      if (
        !isDeepStrictEqualJson(withoutSpendMemory(current), withoutSpendMemory(fresh)) ||
        !rememberedByAll(current, fresh)
      )
        expect(current).toEqual(fresh);
      const answer = await reader.queries.balance(accountId);
      same(
        {
          balance: answer.balance,
          available: answer.available,
          reserved: answer.reserved,
          revision: answer.revision,
        },
        { ...referenceViewAt(model, now), revision: fresh.revision },
        `${what}: balance`,
      );
      const atNow = await reader.queries.balanceAt(accountId, clock.now());
      same(atNow, answer, `${what}: balanceAt(now)`);
      const report = auditStream(accountId, await store.readStream(streamIdFor(accountId)), {
        now: clock.now(),
      });
      same(report.violations, [], `${what}: audit`);
    }
  };

  for (const [index, op] of ops.entries()) {
    const now = clock.now().getTime();
    const step = stepFor(op, models, now, ids, sent);
    if (step === null) continue;
    if ('moveTo' in step) {
      await flush();
      clock.set(new Date(step.moveTo));
      continue;
    }
    const before = models[step.account];
    const ref = step.command.kind === 'purchase' ? step.command.providerRef : undefined;
    if (ref !== undefined && refsInBatch.has(ref) && refsInBatch.get(ref) !== step.account)
      await flush();
    if (ref !== undefined) refsInBatch.set(ref, step.account);
    let expected = run(before, step.command, now, step.key);
    if (ref !== undefined && expected.answer.kind === 'accepted') {
      const holder = refHolders.get(ref);
      // Decided as a new purchase, refused by the claim: only then is another account's hold seen.
      if (holder !== undefined && holder !== step.account)
        expected = { answer: { kind: 'rejected', code: 'purchase_conflict' }, account: before };
      else refHolders.set(ref, step.account);
    }
    models = models.map((model, account) => (account === step.account ? expected.account : model));
    if (step.key && expected.answer.kind === 'accepted' && expected.answer.remembered)
      sent[step.account].push(step);
    // The same process for an account within a batch; which one changes from batch to batch.
    const process =
      processes[routing[(batchNumber * ACCOUNTS.length + step.account) % routing.length]];
    const promise = process.mailbox.submit(ACCOUNTS[step.account], step.ledgerCommand, {
      correlationId: `op-${index}`,
      actor: { kind: 'apiKey', id: 'property' },
      ...(step.key && { idempotencyKey: step.key.key, requestHash: step.key.hash }),
    });
    promise.catch(() => undefined); // inspected in flush
    batch.push({
      step,
      expected: expected.answer,
      before,
      after: expected.account,
      promise,
      what: `op ${index} ${JSON.stringify(op)}`,
    });
  }
  await flush();
}

describe('ledger properties (write path + in-memory event store, two processes)', () => {
  it('answers as the reference model, and every stored stream folds to the same state as each process holds', async () => {
    const exclusiveRetries = jest.spyOn(InMemoryEventStore.prototype, 'appendExclusive');
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArbitrary, { minLength: 1, maxLength: 80, size: 'max' }),
        fc.constantFrom(0, 1, 100),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }),
        // 1: every account remembers one or two spends, so spends are pruned within batches and
        // refunds of older ones are decided on spends looked up in the stream (rarely: about once
        // per 150 runs; test/accounts covers that path on purpose).
        fc.constantFrom(1_000, 1),
        // 0 and 1: the cache makes states forget all their spends (after every load, or as soon as
        // another account is written), so refunds decide on spends recalled from the stream.
        fc.constantFrom(10_000, 1, 0),
        async (ops, cacheEntries, routing, recentSpends, activeStates) => {
          await runWorkload(ops, cacheEntries, routing, recentSpends, activeStates);
        },
      ),
      { numRuns: 150 },
    );
    // The workload did make the two processes conflict, so the retry path was part of what agreed.
    expect(exclusiveRetries.mock.calls.length).toBeGreaterThan(0);
    exclusiveRetries.mockRestore();
  });
});
