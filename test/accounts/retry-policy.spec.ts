import { Logger } from '@nestjs/common';
import type { DecidedBatch } from '../../src/accounts/write-path/command-batch';
import { ConcurrencyConflictError } from '../../src/accounts/write-path/errors';
import type { BatchAnswers, QueuedCommand } from '../../src/accounts/write-path/queued-command';
import { RetryPolicy, retryDelayMs } from '../../src/accounts/write-path/retry-policy';
import type {
  AttemptResult,
  BatchAttempts,
  Freshness,
} from '../../src/accounts/write-path/write-attempts';
import { loadConfig } from '../../src/config/load-config';
import {
  ClaimHeldElsewhereError,
  EventStoreUnavailableError,
  type AppendResult,
} from '../../src/event-store/event-store.port';
import type { LedgerCommand } from '../../src/ledger/commands';

const DECIDED: DecidedBatch = { decisions: [], events: [] };
const APPENDED: AppendResult = { lastRevision: 7, position: '42' };
const WRITTEN: AttemptResult = { kind: 'written', decided: DECIDED, appended: APPENDED };
const NOTHING: AttemptResult = { kind: 'nothing-to-write', decided: DECIDED, decidedOnRevision: 3 };
const LOST: AttemptResult = { kind: 'lost-race' };
const claimRefused = (claim = 'purchase-ref-stripe-pi_1'): AttemptResult => ({
  kind: 'claim-held-elsewhere',
  refused: new ClaimHeldElsewhereError('credits-a', claim, 'credits-other'),
});

type Step = AttemptResult | Error | ((batch: readonly QueuedCommand[]) => AttemptResult);

/** Attempts that play a script, one step per attempt made, and record how each was made. */
class ScriptedAttempts implements BatchAttempts {
  readonly calls: string[] = [];
  readonly heldElsewhere: Array<Record<string, string>> = [];
  caughtUp = false;

  constructor(
    private readonly steps: Step[],
    readonly canHoldStream = true,
  ) {}

  optimistic(
    _accountId: string,
    batch: readonly QueuedCommand[],
    freshness: Freshness,
    held: ReadonlyMap<string, string>,
  ): Promise<AttemptResult> {
    return this.play(`optimistic ${freshness}`, batch, held);
  }

  exclusive(
    _accountId: string,
    batch: readonly QueuedCommand[],
    held: ReadonlyMap<string, string>,
  ): Promise<AttemptResult> {
    return this.play('exclusive', batch, held);
  }

  async caughtUpFrom(_accountId: string, revision: number): Promise<boolean> {
    this.calls.push(`caught up from ${revision}`);
    return this.caughtUp;
  }

  private async play(
    call: string,
    batch: readonly QueuedCommand[],
    held: ReadonlyMap<string, string>,
  ): Promise<AttemptResult> {
    this.calls.push(call);
    this.heldElsewhere.push(Object.fromEntries(held));
    const step = this.steps.shift();
    if (step === undefined) throw new Error(`no step left for ${call}`);
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(batch) : step;
  }
}

class RecordingAnswers implements BatchAnswers {
  readonly calls: Array<{ commands: number; appended: AppendResult | null }> = [];

  async answerAll(
    _accountId: string,
    batch: readonly QueuedCommand[],
    _decided: DecidedBatch,
    appended: AppendResult | null,
  ): Promise<void> {
    this.calls.push({ commands: batch.length, appended });
    for (const queued of batch) queued.answer({ revision: appended?.lastRevision } as never);
  }
}

class Queued implements QueuedCommand {
  readonly context = { correlationId: 'test', actor: { kind: 'apiKey', id: 'svc' } } as const;
  answered: unknown = undefined;
  failed: unknown = undefined;
  conflicts = 0;

  constructor(readonly command: LedgerCommand) {}

  answer(outcome: unknown): void {
    this.answered = outcome;
  }

  fail(error: unknown): void {
    this.failed = error;
  }

  countConflict(): void {
    this.conflicts += 1;
  }
}

const spend = (spendId: string) =>
  new Queued({ kind: 'spend', spendId, credits: 1, description: 'test' });

function policyWith(attempts: BatchAttempts, maxAttempts = 4) {
  const answers = new RecordingAnswers();
  const config = loadConfig({ COMMAND_MAX_ATTEMPTS: String(maxAttempts), LOG_LEVEL: 'silent' });
  return { policy: new RetryPolicy(attempts, answers, config), answers };
}

describe('RetryPolicy', () => {
  // Retries exhausted are logged as a warning; the assertions say what matters here. Jest gives
  // each spec file its own modules, so this silences this file only.
  beforeAll(() => Logger.overrideLogger(false));

  it('writes on the cached state first: one optimistic attempt, answered with its append', async () => {
    const attempts = new ScriptedAttempts([WRITTEN]);
    const { policy, answers } = policyWith(attempts);
    const batch = [spend('s1'), spend('s2')];
    await policy.writeBatch('a', batch);
    expect(attempts.calls).toEqual(['optimistic cached']);
    expect(answers.calls).toEqual([{ commands: 2, appended: APPENDED }]);
    expect(batch.map((queued) => queued.conflicts)).toEqual([0, 0]);
  });

  describe('nothing to write (refusals, replays, no-ops)', () => {
    it('checks the store first when it decided on the cache; decides again on the caught-up state, using no attempt', async () => {
      const attempts = new ScriptedAttempts([NOTHING, WRITTEN]);
      attempts.caughtUp = true;
      const { policy, answers } = policyWith(attempts, 1);
      await policy.writeBatch('a', [spend('s1')]);
      expect(attempts.calls).toEqual([
        'optimistic cached',
        'caught up from 3',
        'optimistic current',
      ]);
      expect(answers.calls).toEqual([{ commands: 1, appended: APPENDED }]);
    });

    it('answers without an append when the store had nothing newer; checks only once', async () => {
      const attempts = new ScriptedAttempts([NOTHING]);
      const { policy, answers } = policyWith(attempts);
      await policy.writeBatch('a', [spend('s1')]);
      expect(attempts.calls).toEqual(['optimistic cached', 'caught up from 3']);
      expect(answers.calls).toEqual([{ commands: 1, appended: null }]);

      const again = new ScriptedAttempts([NOTHING, NOTHING]);
      again.caughtUp = true;
      await policyWith(again).policy.writeBatch('a', [spend('s1')]);
      expect(again.calls).toEqual(['optimistic cached', 'caught up from 3', 'optimistic current']);
    });

    it('does not check after a retry: that state was read from the store', async () => {
      const attempts = new ScriptedAttempts([LOST, NOTHING]);
      attempts.caughtUp = true;
      const { policy, answers } = policyWith(attempts);
      await policy.writeBatch('a', [spend('s1')]);
      expect(attempts.calls).toEqual(['optimistic cached', 'exclusive']);
      expect(answers.calls).toEqual([{ commands: 1, appended: null }]);
    });
  });

  describe('lost races', () => {
    it('retries holding the stream where the store can, counting a conflict per command', async () => {
      const attempts = new ScriptedAttempts([LOST, LOST, WRITTEN]);
      const { policy, answers } = policyWith(attempts);
      const batch = [spend('s1'), spend('s2')];
      await policy.writeBatch('a', batch);
      expect(attempts.calls).toEqual(['optimistic cached', 'exclusive', 'exclusive']);
      expect(batch.map((queued) => queued.conflicts)).toEqual([2, 2]);
      expect(answers.calls).toHaveLength(1);
    });

    it('otherwise retries optimistically on a reloaded state, after a jittered pause', async () => {
      const attempts = new ScriptedAttempts([LOST, LOST, WRITTEN], false);
      const { policy } = policyWith(attempts);
      const started = Date.now();
      await policy.writeBatch('a', [spend('s1')]);
      expect(attempts.calls).toEqual([
        'optimistic cached',
        'optimistic reload',
        'optimistic reload',
      ]);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('gives up after COMMAND_MAX_ATTEMPTS: concurrency_conflict for every command', async () => {
      const attempts = new ScriptedAttempts([LOST, LOST, LOST]);
      const { policy, answers } = policyWith(attempts, 3);
      const batch = [spend('s1'), spend('s2')];
      await policy.writeBatch('a', batch);
      expect(attempts.calls).toHaveLength(3);
      expect(answers.calls).toEqual([]);
      for (const queued of batch) {
        expect(queued.failed).toBeInstanceOf(ConcurrencyConflictError);
        expect(queued.failed).toMatchObject({ accountId: 'a', attempts: 3 });
        expect(queued.conflicts).toBe(3);
      }
    });

    it('paces optimistic retries with full jitter, capped', () => {
      expect(retryDelayMs(2, () => 1)).toBe(16);
      expect(retryDelayMs(2, () => 0.5)).toBe(8);
      expect(retryDelayMs(20, () => 1)).toBe(250);
      expect(retryDelayMs(3, () => 0)).toBe(0);
    });
  });

  describe('a purchase whose reference another account holds', () => {
    it('decides again knowing the holder, on a reloaded state, using no attempt', async () => {
      const attempts = new ScriptedAttempts([claimRefused(), WRITTEN]);
      const { policy, answers } = policyWith(attempts, 1);
      await policy.writeBatch('a', [spend('s1')]);
      expect(attempts.calls).toEqual(['optimistic cached', 'optimistic reload']);
      expect(attempts.heldElsewhere).toEqual([{}, { 'purchase-ref-stripe-pi_1': 'other' }]);
      expect(answers.calls).toHaveLength(1);
    });

    it('holds the stream again when it was holding it', async () => {
      const attempts = new ScriptedAttempts([LOST, claimRefused(), WRITTEN]);
      const { policy } = policyWith(attempts, 2);
      const batch = [spend('s1')];
      await policy.writeBatch('a', batch);
      expect(attempts.calls).toEqual(['optimistic cached', 'exclusive', 'exclusive']);
      expect(batch[0].conflicts).toBe(1);
    });

    it('refused twice for the same reference is a bug, not a race: thrown, not retried', async () => {
      const attempts = new ScriptedAttempts([claimRefused(), claimRefused()]);
      const { policy } = policyWith(attempts);
      const batch = [spend('s1')];
      await policy.writeBatch('a', batch);
      expect(attempts.calls).toHaveLength(2);
      expect(batch[0].failed).toBeInstanceOf(ClaimHeldElsewhereError);
    });
  });

  describe('failures', () => {
    it('runs each command of a failed batch alone when the cause may be one command', async () => {
      const guilty = spend('guilty');
      const failsWithGuilty = (batch: readonly QueuedCommand[]): AttemptResult => {
        if (batch.includes(guilty)) throw new RangeError('a value the store refuses');
        return WRITTEN;
      };
      const attempts = new ScriptedAttempts([
        failsWithGuilty,
        failsWithGuilty,
        failsWithGuilty,
        failsWithGuilty,
      ]);
      const { policy, answers } = policyWith(attempts);
      const batch = [spend('s1'), guilty, spend('s3')];
      await policy.writeBatch('a', batch);
      expect(attempts.calls).toHaveLength(4); // the batch, then each command alone
      expect(answers.calls.map(({ commands }) => commands)).toEqual([1, 1]);
      expect(batch.map((queued) => queued.failed)).toEqual([
        undefined,
        expect.any(RangeError),
        undefined,
      ]);
    });

    it('fails every command alike when the cause is the moment (store unreachable)', async () => {
      const down = new EventStoreUnavailableError('down');
      const attempts = new ScriptedAttempts([down]);
      const { policy } = policyWith(attempts);
      const batch = [spend('s1'), spend('s2')];
      await policy.writeBatch('a', batch);
      expect(attempts.calls).toHaveLength(1);
      expect(batch.map((queued) => queued.failed)).toEqual([down, down]);
    });
  });
});
