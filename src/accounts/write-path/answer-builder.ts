import { Injectable } from '@nestjs/common';
import type { AppendResult } from '../../event-store/event-store.port';
import type { LedgerCommand } from '../../ledger/commands';
import type { DuplicatePurchase } from '../../ledger/decider';
import type { AnsweredCommand } from '../../ledger/state';
import { toLedgerEvent } from '../../ledger/upcast';
import { AccountRepository } from './account-repository';
import type { BatchDecision, DecidedBatch } from './command-batch';
import { LedgerRejectedError } from './errors';
import type { BatchAnswers, QueuedCommand } from './queued-command';
import type { WriteOutcome } from './write-outcome';

type Written = Extract<BatchDecision, { kind: 'written' }>;
type NotWritten = Extract<BatchDecision, { kind: 'not-written' }>;

/**
 * Each command's answer, as if it had run alone: written (its events, revision and position),
 * refused (LedgerRejectedError), an idempotent replay (the first answer, read back from the
 * stream), a repeated purchase (the first purchase's), or accepted with nothing to write.
 */
@Injectable()
export class AnswerBuilder implements BatchAnswers {
  constructor(private readonly accounts: AccountRepository) {}

  async answerAll(
    accountId: string,
    batch: readonly QueuedCommand[],
    decided: DecidedBatch,
    appended: AppendResult | null,
  ): Promise<void> {
    for (let index = 0; index < batch.length; index++) {
      const queued = batch[index];
      try {
        const outcome = this.outcomeOf(
          accountId,
          queued.command,
          decided.decisions[index],
          decided.events.length,
          appended,
        );
        // Only replays and repeated purchases read the stream: the common answers cost no await.
        queued.answer(outcome instanceof Promise ? await outcome : outcome);
      } catch (error) {
        queued.fail(error);
      }
    }
  }

  /** One command's answer; throws LedgerRejectedError for a refusal. */
  private outcomeOf(
    accountId: string,
    command: LedgerCommand,
    decided: BatchDecision,
    appendedCount: number,
    appended: AppendResult | null,
  ): WriteOutcome | Promise<WriteOutcome> {
    if (decided.kind === 'written') {
      if (appended === null) throw new Error(`${accountId}: a written decision without an append`);
      return writtenOutcome(accountId, decided, appended, appendedCount);
    }
    const { decision } = decided;
    switch (decision.kind) {
      case 'rejected':
        throw new LedgerRejectedError(decision.rejection);
      case 'replayed':
        return this.replayedOutcome(accountId, decision.record);
      case 'noop':
        return decision.reason === 'repeated'
          ? this.replayedOutcome(accountId, decision.answer)
          : this.repeatedPurchaseOutcome(accountId, command, decision);
      case 'accepted':
        return acceptedUnwrittenOutcome(accountId, decided);
    }
  }

  /**
   * The first answer to the same Idempotency-Key, or to a command done once ever (welcome, merge):
   * its events as recorded (with their position).
   */
  private async replayedOutcome(accountId: string, record: AnsweredCommand): Promise<WriteOutcome> {
    const recorded = await this.accounts.readRange(
      accountId,
      record.firstRevision,
      record.lastRevision,
    );
    return {
      accountId,
      events: recorded.map(toLedgerEvent),
      balance: record.balance,
      available: record.available,
      reserved: record.reserved,
      revision: record.lastRevision,
      position: recorded.at(-1)?.position ?? null,
      replayed: true,
    };
  }

  /**
   * A repeated purchase answers with the first one: its event as recorded (where its position comes
   * from), its revision, and the account right after it.
   */
  private async repeatedPurchaseOutcome(
    accountId: string,
    command: LedgerCommand,
    noop: DuplicatePurchase,
  ): Promise<WriteOutcome> {
    const [original] = await this.accounts.readRange(accountId, noop.revision, noop.revision);
    if (original?.type !== 'CreditsPurchased')
      throw new Error(`${accountId}@${noop.revision} is not purchase ${noop.purchaseId}`);
    // This very command, found written after a retry (an append that succeeded but was reported
    // lost, or one finished by another process): its own first answer, not a repeat.
    const own = command.kind === 'purchase' && command.purchaseId === noop.purchaseId;
    return {
      accountId,
      events: [toLedgerEvent(original)],
      balance: noop.balance,
      available: noop.available,
      reserved: noop.reserved,
      revision: noop.revision,
      position: original.position,
      replayed: !own,
      ...(!own && { duplicatePurchase: { purchaseId: noop.purchaseId, blockId: noop.blockId } }),
    };
  }
}

/**
 * Revision of event number `index` of an append of `count` events. One append's events are
 * consecutive in the stream and the store reports the revision of the last one
 * (AppendResult.lastRevision), so the first one is `count - 1` before it.
 */
export function revisionInAppend(appended: AppendResult, count: number, index: number): number {
  const firstRevision = appended.lastRevision - (count - 1);
  return firstRevision + index;
}

function writtenOutcome(
  accountId: string,
  decided: Written,
  appended: AppendResult,
  appendedCount: number,
): WriteOutcome {
  const { balance, available, reserved } = decided.view;
  return {
    accountId,
    events: decided.events,
    balance,
    available,
    reserved,
    // The command's own last event: what read-your-writes on the stream needs.
    revision: revisionInAppend(appended, appendedCount, decided.lastIndex),
    // The append's: at or after the command's last event, enough for read-your-writes on the log.
    position: appended.position,
    replayed: false,
  };
}

/** Accepted with nothing to write (e.g. expire with nothing due): the account as decided on. */
function acceptedUnwrittenOutcome(accountId: string, decided: NotWritten): WriteOutcome {
  const { balance, available, reserved } = decided.view;
  return {
    accountId,
    events: [],
    balance,
    available,
    reserved,
    revision: decided.revision,
    position: null,
    replayed: false,
  };
}
