import {
  AccountMailbox,
  MAX_WAITING_PER_ACCOUNT,
} from '../../src/accounts/write-path/account-mailbox';
import { CommandMetrics } from '../../src/accounts/write-path/command-metrics';
import { LedgerRejectedError, QueueFullError } from '../../src/accounts/write-path/errors';
import { MAX_COMMANDS_PER_APPEND } from '../../src/accounts/write-path/mailbox-entries';
import type { BatchWriter, QueuedCommand } from '../../src/accounts/write-path/queued-command';
import type { WriteOutcome } from '../../src/accounts/write-path/write-outcome';
import type { LedgerCommand } from '../../src/ledger/commands';
import { MetricsRegistry } from '../../src/observability/metrics-registry';
import type { MetricValueWithName } from 'prom-client';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const CALLER = { correlationId: 'test', actor: { kind: 'apiKey', id: 'svc' } } as const;

let ids = 0;
const spend = (): LedgerCommand => ({
  kind: 'spend',
  spendId: `s${++ids}`,
  credits: 1,
  description: 'test',
});
const purchase = (): LedgerCommand => ({
  kind: 'purchase',
  blockId: `b${++ids}`,
  purchaseId: `p${ids}`,
  credits: 1,
  amountPaid: { minor: 100, currency: 'EUR' },
  provider: 'stripe',
  providerRef: `pi_${ids}`,
});

function outcomeFor(accountId: string, revision: number): WriteOutcome {
  return {
    accountId,
    events: [],
    balance: 0,
    available: 0,
    reserved: 0,
    revision,
    position: null,
    replayed: false,
  };
}

/**
 * A writer that records the batches it is given and answers each command with its place in the
 * batch; `hold()` keeps the next batches in flight until `release()`.
 */
class FakeWriter implements BatchWriter {
  readonly batches: Array<{ accountId: string; kinds: string[] }> = [];
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  writing = 0;
  mostWriting = 0;
  behaviour: (batch: readonly QueuedCommand[], accountId: string) => void = (batch, accountId) =>
    batch.forEach((queued, index) => queued.answer(outcomeFor(accountId, index)));

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
  }

  async writeBatch(accountId: string, batch: readonly QueuedCommand[]): Promise<void> {
    this.batches.push({ accountId, kinds: batch.map(({ command }) => command.kind) });
    this.writing += 1;
    this.mostWriting = Math.max(this.mostWriting, this.writing);
    await this.gate;
    await tick();
    this.writing -= 1;
    this.behaviour(batch, accountId);
  }
}

function setUp() {
  const writer = new FakeWriter();
  const registry = new MetricsRegistry({ collectProcessMetrics: false });
  const mailbox = new AccountMailbox(writer, new CommandMetrics(registry));
  const submit = (accountId: string, command: LedgerCommand = spend()) =>
    mailbox.submit(accountId, command, CALLER);
  const metric = async (name: string) =>
    (await registry.registry.getSingleMetric(name)!.get()).values as Array<
      MetricValueWithName<string>
    >;
  return { writer, mailbox, submit, metric };
}

describe('AccountMailbox', () => {
  describe('batches', () => {
    it('writes the commands submitted in one tick as one batch, answering each', async () => {
      const { writer, submit } = setUp();
      const answers = await Promise.all([submit('a'), submit('a'), submit('a')]);
      expect(writer.batches).toEqual([{ accountId: 'a', kinds: ['spend', 'spend', 'spend'] }]);
      expect(answers.map((answer) => answer.revision)).toEqual([0, 1, 2]);
    });

    it('makes the commands that queued behind a batch in flight the next batch', async () => {
      const { writer, submit } = setUp();
      writer.hold();
      const first = submit('a');
      await tick();
      const behind = [submit('a'), submit('a')];
      writer.release();
      await Promise.all([first, ...behind]);
      expect(writer.batches.map(({ kinds }) => kinds.length)).toEqual([1, 2]);
    });

    it('ends a batch at its first purchase (an append claims one reference) and at the append limit', async () => {
      const { writer, submit } = setUp();
      const commands = [spend(), purchase(), purchase(), spend()];
      for (let index = 0; index < MAX_COMMANDS_PER_APPEND + 5; index++) commands.push(spend());
      await Promise.all(commands.map((command) => submit('a', command)));
      expect(writer.batches.map(({ kinds }) => kinds.length)).toEqual([
        2,
        1,
        MAX_COMMANDS_PER_APPEND,
        6,
      ]);
      expect(writer.batches[1].kinds).toEqual(['purchase']);
    });

    it('runs one batch at a time per account, accounts concurrently', async () => {
      const { writer, submit } = setUp();
      writer.hold();
      const answers = [submit('a'), submit('b'), submit('c')];
      await tick();
      answers.push(submit('a'));
      await tick();
      expect(writer.batches.map(({ accountId }) => accountId)).toEqual(['a', 'b', 'c']);
      writer.release();
      await Promise.all(answers);
      expect(writer.mostWriting).toBe(3);
      expect(writer.batches.map(({ accountId }) => accountId)).toEqual(['a', 'b', 'c', 'a']);
    });
  });

  describe('exclusive turns (strongly consistent reads)', () => {
    it('runs turns of one account one at a time, in order', async () => {
      const { mailbox } = setUp();
      const log: string[] = [];
      const task = (name: string) => async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
      };
      await Promise.all([
        mailbox.runExclusive('a', task('1')),
        mailbox.runExclusive('a', task('2')),
        mailbox.runExclusive('a', task('3')),
      ]);
      expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    });

    it('runs different accounts concurrently', async () => {
      const { mailbox } = setUp();
      let running = 0;
      let most = 0;
      const task = async () => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        running -= 1;
      };
      await Promise.all(['a', 'b', 'c'].map((accountId) => mailbox.runExclusive(accountId, task)));
      expect(most).toBe(3);
    });

    it('runs a turn between batches, in arrival order: never during one', async () => {
      const { writer, mailbox, submit } = setUp();
      const log: string[] = [];
      writer.behaviour = (batch) => {
        log.push(`batch of ${batch.length}`);
        batch.forEach((queued) => queued.answer(outcomeFor('a', 0)));
      };
      const read = async () => {
        log.push('read');
        await tick();
        return 'read done';
      };
      const all = [submit('a'), submit('a'), mailbox.runExclusive('a', read), submit('a')];
      await Promise.all(all);
      await expect(all[2]).resolves.toBe('read done');
      expect(log).toEqual(['batch of 2', 'read', 'batch of 1']);
    });

    it('keeps going after a failed turn and forgets idle accounts', async () => {
      const { mailbox } = setUp();
      await expect(
        mailbox.runExclusive('a', () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      await expect(mailbox.runExclusive('a', async () => 'next')).resolves.toBe('next');
      await tick();
      expect(mailbox.activeAccounts).toBe(0);
    });

    it('a strongly consistent read waits for the batch in flight', async () => {
      const { writer, mailbox, submit } = setUp();
      writer.hold();
      const write = submit('a');
      await tick();
      let ran = false;
      const read = mailbox.runExclusive('a', async () => (ran = true));
      await tick();
      expect(ran).toBe(false); // waits for the batch in flight
      writer.release();
      await Promise.all([write, read]);
      expect(ran).toBe(true);
    });
  });

  describe('bounded: one queue per account, one limit, one error', () => {
    it(`refuses a command or a turn beyond ${MAX_WAITING_PER_ACCOUNT} waiting, for that account only`, async () => {
      const { writer, mailbox, submit } = setUp();
      writer.hold();
      const inFlight = submit('a');
      await tick(); // taken out of the queue: it no longer counts
      const waiting: Promise<unknown>[] = [mailbox.runExclusive('a', async () => 'read')];
      while (waiting.length < MAX_WAITING_PER_ACCOUNT) waiting.push(submit('a'));
      await expect(submit('a')).rejects.toBeInstanceOf(QueueFullError);
      await expect(mailbox.runExclusive('a', async () => 'late')).rejects.toMatchObject({
        accountId: 'a',
        limit: MAX_WAITING_PER_ACCOUNT,
      });
      const other = submit('b');
      writer.release();
      await expect(other).resolves.toMatchObject({ accountId: 'b' });
      await Promise.all([inFlight, ...waiting]);
      await expect(submit('a')).resolves.toMatchObject({ accountId: 'a' });
    });
  });

  describe('answers and failures', () => {
    it('fails every unanswered command of a batch whose writer throws, and carries on', async () => {
      const { writer, submit } = setUp();
      writer.behaviour = (batch) => {
        batch[0].answer(outcomeFor('a', 0));
        throw new Error('writer bug');
      };
      const answers = await Promise.allSettled([submit('a'), submit('a')]);
      expect(answers).toMatchObject([
        { status: 'fulfilled', value: { revision: 0 } },
        { status: 'rejected', reason: { message: 'writer bug' } },
      ]);
      writer.behaviour = (batch) => batch.forEach((queued) => queued.answer(outcomeFor('a', 7)));
      await expect(submit('a')).resolves.toMatchObject({ revision: 7 });
    });

    it('records each command once: latency by result, and conflicts', async () => {
      const { writer, submit, metric } = setUp();
      writer.behaviour = (batch) => {
        for (const queued of batch) queued.countConflict();
        batch[0].answer(outcomeFor('a', 0));
        batch[0].fail(new Error('ignored: already answered'));
        batch[1].fail(new LedgerRejectedError({ code: 'balance_limit', limit: 1 }));
        batch[2].fail(new Error('store down'));
      };
      await Promise.allSettled([submit('a'), submit('a'), submit('a')]);
      const counts = (await metric('ledger_command_duration_seconds'))
        .filter((value) => value.metricName === 'ledger_command_duration_seconds_count')
        .map((value) => [value.labels.result, value.value]);
      expect(counts.sort()).toEqual([
        ['error', 1],
        ['ok', 1],
        ['rejected', 1],
      ]);
      expect(await metric('ledger_command_conflicts_total')).toMatchObject([
        { labels: { command: 'spend' }, value: 3 },
      ]);
    });
  });
});
