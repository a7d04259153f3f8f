import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../config/app-config';
import { WrongExpectedRevisionError, type AppendResult } from '../event-store/event-store.port';
import { decide, viewAt, type Decision } from '../ledger/decider';
import type { LedgerState } from '../ledger/state';
import { toLedgerEvent } from '../ledger/upcast';
import { Clock } from '../shared/clock';
import { AccountRepository } from './account-repository';
import { CommandMetrics } from './command-metrics';
import { ConcurrencyConflictError, LedgerRejectedError } from './errors';
import { KeyedSerializer } from './keyed-serializer';
import { ExecuteLedgerCommand, type CommandOutcome } from './ledger-command';

/** Commands waiting for one account in this process before new ones are refused. */
export const MAX_QUEUED_COMMANDS_PER_ACCOUNT = 1_000;

/**
 * Pacing of optimistic retries, for event stores that cannot hold a stream: full jitter, so a
 * loser lets another process's burst pass instead of racing it head-on.
 */
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;

export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failedAttempts);
}

/**
 * Load → decide → append with the expected revision (ARCHITECTURE.md "Application").
 *
 * Commands for one account run one at a time in this process, so conflicts only come from other
 * processes. The first attempt is optimistic and decides on the cached state: one append, no read.
 * After a conflict, the retry decides while holding the stream (appendExclusive) where the store
 * can, so it cannot lose again to a process that keeps appending from a hot cache; otherwise it
 * reloads the tail and retries with jittered backoff. `concurrency_conflict` only when
 * COMMAND_MAX_ATTEMPTS are used up.
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

  private async executeSerialized(request: ExecuteLedgerCommand): Promise<CommandOutcome> {
    const { accountId } = request;
    const first = await this.tryOptimistic(request);
    if (first !== 'conflict') return first;
    for (let attempt = 2; attempt <= this.config.commandMaxAttempts; attempt++) {
      this.metrics.conflict(request.command.kind);
      const retried = this.accounts.supportsExclusiveAppend
        ? await this.tryExclusive(request)
        : (await sleep(retryDelayMs(attempt)), await this.tryOptimistic(request, { fresh: true }));
      if (retried !== 'conflict') return retried;
    }
    this.metrics.conflict(request.command.kind);
    this.logger.warn({ accountId, command: request.command.kind, attempts: this.config.commandMaxAttempts }, 'concurrency conflict: retries exhausted');
    throw new ConcurrencyConflictError(accountId, this.config.commandMaxAttempts);
  }

  private async tryOptimistic(request: ExecuteLedgerCommand, options = { fresh: false }): Promise<CommandOutcome | 'conflict'> {
    const { accountId } = request;
    const state = options.fresh ? await this.accounts.refresh(accountId) : await this.accounts.load(accountId);
    const now = this.clock.now();
    const decision = this.decideOn(state, request, now);
    if (!writes(decision)) {
      // A refusal or a no-op must not rest on a stale cache: make sure the store has nothing newer.
      if (!options.fresh && (await this.hasNewerEvents(accountId, state))) return this.tryOptimistic(request, { fresh: true });
      return this.answerWithoutAppend(accountId, state, decision, now);
    }
    try {
      const appended = await this.accounts.append(accountId, state, decision.events);
      return this.answerAppended(accountId, state, decision.events, appended, now);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return 'conflict';
      throw error;
    }
  }

  private async tryExclusive(request: ExecuteLedgerCommand): Promise<CommandOutcome | 'conflict'> {
    const { accountId } = request;
    const state = await this.accounts.load(accountId);
    const now = this.clock.now();
    let decision: Decision = { kind: 'accepted', events: [] };
    try {
      const appended = await this.accounts.appendExclusive(accountId, state, (current) => {
        decision = this.decideOn(current, request, now);
        return writes(decision) ? decision.events : [];
      });
      const decided = decision as Decision;
      if (appended && writes(decided)) return this.answerAppended(accountId, state, decided.events, appended, now);
      return this.answerWithoutAppend(accountId, state, decided, now);
    } catch (error) {
      // Only when the stream did not exist yet and another process created it first.
      if (error instanceof WrongExpectedRevisionError) return 'conflict';
      throw error;
    }
  }

  private decideOn(state: LedgerState, { command, context }: ExecuteLedgerCommand, now: Date): Decision {
    return decide(command, state, { ...context, now });
  }

  private async hasNewerEvents(accountId: string, state: LedgerState): Promise<boolean> {
    const before = state.revision;
    const refreshed = await this.accounts.refresh(accountId);
    return refreshed.revision !== before;
  }

  private answerAppended(accountId: string, state: LedgerState, events: CommandOutcome['events'], appended: AppendResult, now: Date): CommandOutcome {
    const view = viewAt(state, now);
    return {
      accountId, events, balance: view.balance, available: view.available, reserved: view.reserved,
      revision: appended.nextRevision, position: appended.position, replayed: false,
    };
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

function writes(decision: Decision): decision is Extract<Decision, { kind: 'accepted' }> {
  return decision.kind === 'accepted' && decision.events.length > 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
