import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../config/app-config';
import { WrongExpectedRevisionError } from '../event-store/event-store.port';
import { decide, viewAt, type Decision } from '../ledger/decider';
import type { LedgerState } from '../ledger/state';
import { toLedgerEvent } from '../ledger/upcast';
import { Clock } from '../shared/clock';
import { AccountRepository } from './account-repository';
import { ConcurrencyConflictError, LedgerRejectedError } from './errors';
import { KeyedSerializer } from './keyed-serializer';
import { CommandMetrics } from './command-metrics';
import { ExecuteLedgerCommand, type CommandOutcome } from './ledger-command';

/** Commands waiting for one account in this process before new ones are refused. */
export const MAX_QUEUED_COMMANDS_PER_ACCOUNT = 1_000;
const MAX_BACKOFF_MS = 100;

/**
 * Load → decide → append with the expected revision. A conflict means another process wrote
 * first: reload the stream's tail and decide again, a bounded number of times with jittered
 * backoff. Commands for one account run one at a time in this process.
 */
@CommandHandler(ExecuteLedgerCommand)
export class LedgerCommandHandler implements ICommandHandler<ExecuteLedgerCommand> {
  private readonly logger = new Logger(LedgerCommandHandler.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly serializer: KeyedSerializer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: CommandMetrics,
  ) {}

  execute(request: ExecuteLedgerCommand): Promise<CommandOutcome> {
    const stopTimer = this.metrics.startCommand(request.command.kind);
    const run = this.serializer.run(request.accountId, () => this.executeSerialized(request));
    run.then(() => stopTimer('ok'), (error: unknown) => stopTimer(error instanceof LedgerRejectedError ? 'rejected' : 'error'));
    return run;
  }

  private async executeSerialized({ accountId, command, context }: ExecuteLedgerCommand): Promise<CommandOutcome> {
    const maxAttempts = this.config.commandMaxAttempts;
    let fresh = false;
    for (let attempt = 1; attempt <= maxAttempts; ) {
      const state = fresh ? await this.accounts.refresh(accountId) : await this.accounts.load(accountId);
      const now = this.clock.now();
      const decision = decide(command, state, { ...context, now });
      if (decision.kind !== 'accepted' || decision.events.length === 0) {
        // A refusal or a no-op must not rest on a stale cache: check the store has nothing newer.
        if (!fresh && (await this.hasNewerEvents(accountId, state))) {
          fresh = true;
          continue;
        }
        return this.answerWithoutAppend(accountId, state, decision, now);
      }
      try {
        const appended = await this.accounts.append(accountId, state, decision.events);
        const view = viewAt(state, now);
        return {
          accountId, events: decision.events, balance: view.balance, available: view.available,
          reserved: view.reserved, revision: appended.nextRevision, position: appended.position, replayed: false,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.metrics.conflict(command.kind);
        fresh = true;
        attempt += 1;
        if (attempt <= maxAttempts) await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt));
      }
    }
    this.logger.warn({ accountId, command: command.kind, attempts: maxAttempts }, 'concurrency conflict: retries exhausted');
    throw new ConcurrencyConflictError(accountId, maxAttempts);
  }

  private async hasNewerEvents(accountId: string, state: LedgerState): Promise<boolean> {
    const before = state.revision;
    const refreshed = await this.accounts.refresh(accountId);
    return refreshed.revision !== before;
  }

  private async answerWithoutAppend(accountId: string, state: LedgerState, decision: Decision, now: Date): Promise<CommandOutcome> {
    switch (decision.kind) {
      case 'rejected':
        throw new LedgerRejectedError(decision.rejection);
      case 'replayed': {
        const { record } = decision;
        const recorded = await this.accounts.readRange(accountId, record.firstRevision, record.lastRevision);
        return {
          accountId, events: recorded.map(toLedgerEvent), balance: record.balance, available: record.available,
          reserved: record.reserved, revision: record.lastRevision, position: recorded.at(-1)?.position ?? null, replayed: true,
        };
      }
      case 'noop':
      case 'accepted': {
        const view = viewAt(state, now);
        return {
          accountId, events: [], balance: view.balance, available: view.available, reserved: view.reserved,
          revision: state.revision, position: null, replayed: decision.kind === 'noop',
          ...(decision.kind === 'noop' ? { duplicatePurchase: { purchaseId: decision.purchaseId, blockId: decision.blockId } } : {}),
        };
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
