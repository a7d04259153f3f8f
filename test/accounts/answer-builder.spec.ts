import type { AccountRepository } from '../../src/accounts/write-path/account-repository';
import { AnswerBuilder, revisionInAppend } from '../../src/accounts/write-path/answer-builder';
import type { BatchDecision, DecidedBatch } from '../../src/accounts/write-path/command-batch';
import { LedgerRejectedError } from '../../src/accounts/write-path/errors';
import type { QueuedCommand } from '../../src/accounts/write-path/queued-command';
import type { WriteOutcome } from '../../src/accounts/write-path/write-outcome';
import type { AppendResult, RecordedEvent } from '../../src/event-store/event-store.port';
import type { LedgerCommand, LedgerEvent } from '../../src/ledger';
import { granted, purchased, spent } from '../ledger/fixtures';

const VIEW = { balance: 7, available: 5, reserved: 2, blocks: [] };
const SPEND: LedgerCommand = { kind: 'spend', spendId: 's', credits: 1, description: 'test' };

/** The stream as the fake repository reads it back: these events at revisions 0, 1, 2, … */
function storeOf(events: LedgerEvent[]) {
  const recorded: RecordedEvent[] = events.map((event, revision) => ({
    eventId: `e${revision}`,
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as Record<string, unknown>,
    streamId: 'credits-a',
    revision,
    position: `p${revision}`,
    recordedAt: new Date(0),
  }));
  const reads: Array<[number, number]> = [];
  const repository = {
    readRange: async (_accountId: string, from: number, to: number) => {
      reads.push([from, to]);
      return recorded.slice(from, to + 1);
    },
  };
  return { answers: new AnswerBuilder(repository as unknown as AccountRepository), reads };
}

class Queued implements QueuedCommand {
  readonly context = { correlationId: 'test', actor: { kind: 'apiKey', id: 'svc' } } as const;
  answered?: WriteOutcome;
  failed?: unknown;

  constructor(readonly command: LedgerCommand = SPEND) {}

  answer(outcome: WriteOutcome): void {
    this.answered = outcome;
  }

  fail(error: unknown): void {
    this.failed = error;
  }

  countConflict(): void {}
}

const written = (events: LedgerEvent[], lastIndex: number): BatchDecision => ({
  kind: 'written',
  events,
  lastIndex,
  view: VIEW,
});
const notWritten = (decision: Extract<BatchDecision, { kind: 'not-written' }>['decision']) =>
  ({ kind: 'not-written', decision, view: VIEW, revision: 4 }) as const;

describe('AnswerBuilder', () => {
  it('counts an event revision back from the append: the store reports its last event', () => {
    const appended: AppendResult = { lastRevision: 14, position: 'p' };
    expect([0, 1, 4].map((index) => revisionInAppend(appended, 5, index))).toEqual([10, 11, 14]);
    expect(revisionInAppend({ lastRevision: 0, position: 'p' }, 1, 0)).toBe(0);
  });

  it("answers each written command with its own events and revision, and the append's position", async () => {
    const { answers } = storeOf([]);
    const first = [spent('s1', { b: 1 })];
    const second = [spent('s2', { b: 2 }), spent('s3', { b: 3 })];
    const decided: DecidedBatch = {
      decisions: [written(first, 0), written(second, 2)],
      events: [...first, ...second],
    };
    const batch = [new Queued(), new Queued()];
    await answers.answerAll('a', batch, decided, { lastRevision: 12, position: 'p12' });
    expect(batch.map(({ answered }) => answered)).toEqual([
      {
        accountId: 'a',
        events: first,
        balance: 7,
        available: 5,
        reserved: 2,
        revision: 10,
        position: 'p12',
        replayed: false,
      },
      expect.objectContaining({ events: second, revision: 12, position: 'p12' }),
    ]);
  });

  it('refuses a rejected command with LedgerRejectedError, and answers the others', async () => {
    const { answers } = storeOf([]);
    const events = [spent('s1', { b: 1 })];
    const batch = [new Queued(), new Queued()];
    await answers.answerAll(
      'a',
      batch,
      {
        decisions: [
          notWritten({ kind: 'rejected', rejection: { code: 'balance_limit', limit: 9 } }),
          written(events, 0),
        ],
        events,
      },
      { lastRevision: 5, position: 'p5' },
    );
    expect(batch[0].failed).toBeInstanceOf(LedgerRejectedError);
    expect(batch[0].failed).toMatchObject({ rejection: { code: 'balance_limit' } });
    expect(batch[1].answered).toMatchObject({ revision: 5 });
  });

  it('answers an idempotent replay with the first answer: its events read back, its position', async () => {
    const history = [granted('b', 10), spent('s1', { b: 1 }), spent('s2', { b: 2 })];
    const { answers, reads } = storeOf(history);
    const record = {
      requestHash: 'h',
      firstRevision: 1,
      lastRevision: 2,
      balance: 7,
      available: 7,
      reserved: 0,
      occurredAt: '2026-01-01T00:00:00.000Z',
    };
    const queued = new Queued();
    await answers.answerAll(
      'a',
      [queued],
      { decisions: [notWritten({ kind: 'replayed', record })], events: [] },
      null,
    );
    expect(reads).toEqual([[1, 2]]);
    expect(queued.answered).toEqual({
      accountId: 'a',
      events: history.slice(1),
      balance: 7,
      available: 7,
      reserved: 0,
      revision: 2,
      position: 'p2',
      replayed: true,
    });
  });

  describe('a purchase the account already has', () => {
    const history = [granted('g', 1), purchased('b1', 10, { purchaseId: 'pur-1' })];
    const noop = {
      kind: 'noop',
      reason: 'duplicate_purchase',
      purchaseId: 'pur-1',
      blockId: 'b1',
      revision: 1,
      balance: 11,
      available: 11,
      reserved: 0,
    } as const;
    const purchase = (purchaseId: string): LedgerCommand => ({
      kind: 'purchase',
      blockId: `block-${purchaseId}`,
      purchaseId,
      credits: 10,
      amountPaid: { minor: 100, currency: 'USD' },
      provider: 'stripe',
      providerRef: 'pi_b1',
    });

    it('answers a repeat with the first purchase, marked as a duplicate', async () => {
      const { answers } = storeOf(history);
      const queued = new Queued(purchase('pur-2'));
      await answers.answerAll('a', [queued], { decisions: [notWritten(noop)], events: [] }, null);
      expect(queued.answered).toEqual({
        accountId: 'a',
        events: [history[1]],
        balance: 11,
        available: 11,
        reserved: 0,
        revision: 1,
        position: 'p1',
        replayed: true,
        duplicatePurchase: { purchaseId: 'pur-1', blockId: 'b1' },
      });
    });

    it('answers the very purchase found written after a retry as its own first answer', async () => {
      const { answers } = storeOf(history);
      const queued = new Queued(purchase('pur-1'));
      await answers.answerAll('a', [queued], { decisions: [notWritten(noop)], events: [] }, null);
      expect(queued.answered).toMatchObject({ replayed: false, revision: 1, position: 'p1' });
      expect(queued.answered).not.toHaveProperty('duplicatePurchase');
    });

    it('fails only that command when the revision holds no purchase', async () => {
      const { answers } = storeOf(history);
      const batch = [new Queued(purchase('pur-2')), new Queued()];
      await answers.answerAll(
        'a',
        batch,
        {
          decisions: [
            notWritten({ ...noop, revision: 0 }),
            notWritten({ kind: 'accepted', events: [] }),
          ],
          events: [],
        },
        null,
      );
      expect(batch[0].failed).toEqual(new Error('a@0 is not purchase pur-1'));
      expect(batch[1].answered).toMatchObject({ revision: 4 });
    });
  });

  it('answers an accepted command with nothing to write with the account as decided on', async () => {
    const { answers, reads } = storeOf([]);
    const queued = new Queued({ kind: 'expire' });
    await answers.answerAll(
      'a',
      [queued],
      { decisions: [notWritten({ kind: 'accepted', events: [] })], events: [] },
      null,
    );
    expect(queued.answered).toEqual({
      accountId: 'a',
      events: [],
      balance: 7,
      available: 5,
      reserved: 2,
      revision: 4,
      position: null,
      replayed: false,
    });
    expect(reads).toEqual([]);
  });
});
