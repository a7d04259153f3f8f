import type { LedgerCommand } from '../../ledger/commands';
import type { CommandMetrics, CommandResultLabel } from './command-metrics';
import { LedgerRejectedError } from './errors';
import { claimsLedgerWide } from './purchase-claims';
import type { CallerContext } from './caller-context';
import type { QueuedCommand } from './queued-command';
import type { WriteOutcome } from './write-outcome';

/** Queued commands of one account decided together and written in one append. */
export const MAX_COMMANDS_PER_APPEND = 100;

/**
 * A command in an account's mailbox: answered once (a second answer or failure is ignored, so a
 * safety net may fail a whole batch). Its latency and conflicts are recorded here and only here.
 */
export class PendingCommand implements QueuedCommand {
  private stopTimer: ((result: CommandResultLabel) => void) | null;

  constructor(
    readonly command: LedgerCommand,
    readonly context: CallerContext,
    private readonly resolve: (outcome: WriteOutcome) => void,
    private readonly reject: (error: unknown) => void,
    private readonly metrics: CommandMetrics,
  ) {
    this.stopTimer = metrics.startCommand(command.kind);
  }

  answer(outcome: WriteOutcome): void {
    if (this.settle('ok')) this.resolve(outcome);
  }

  fail(error: unknown): void {
    if (this.settle(error instanceof LedgerRejectedError ? 'rejected' : 'error'))
      this.reject(error);
  }

  countConflict(): void {
    this.metrics.conflict(this.command.kind);
  }

  /** False when it was already answered. */
  private settle(result: CommandResultLabel): boolean {
    if (this.stopTimer === null) return false;
    this.stopTimer(result);
    this.stopTimer = null;
    return true;
  }
}

/**
 * A task that needs the account to itself, e.g. a strongly consistent read, which folds the
 * stream's tail into the cached state: it runs between batches, never during one.
 */
export class ExclusiveTurn {
  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** Never throws: the task's failure is its caller's, not the mailbox's. */
  async run(): Promise<void> {
    try {
      this.resolve(await this.task());
    } catch (error) {
      this.reject(error);
    }
  }

  fail(error: unknown): void {
    this.reject(error);
  }
}

export type MailboxEntry = PendingCommand | ExclusiveTurn;

/**
 * How many entries at the head of a mailbox make the next batch: its commands up to
 * MAX_COMMANDS_PER_APPEND, ending with the first purchase or gift redemption, because an append
 * claims at most one purchase reference or gift code (purchase-claims.ts), and before the first exclusive turn, which waits for the
 * commands queued before it. Purchases are rare next to spends, so this costs batching next to
 * nothing. 0 when the head is a turn.
 */
export function nextBatchLength(waiting: readonly MailboxEntry[]): number {
  const limit = Math.min(waiting.length, MAX_COMMANDS_PER_APPEND);
  for (let index = 0; index < limit; index++) {
    const entry = waiting[index];
    if (!(entry instanceof PendingCommand)) return index;
    if (claimsLedgerWide(entry.command.kind)) return index + 1;
  }
  return limit;
}
