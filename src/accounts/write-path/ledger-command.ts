import { Command } from '@nestjs/cqrs';
import type { LedgerCommand } from '../../ledger/commands';
import type { CallerContext } from './caller-context';
import type { WriteOutcome } from './write-outcome';

export type { CallerContext } from './caller-context';
export type { WriteOutcome } from './write-outcome';

/**
 * @deprecated The write path's answer is WriteOutcome (write-outcome.ts); this name clashed with
 * the domain's CommandOutcome (ledger/decide/outcome.ts). Kept for the callers being rewritten in
 * parallel; delete at merge.
 */
export type CommandOutcome = WriteOutcome;

/**
 * COMPATIBILITY SHIM, to be deleted at merge: the one command for every ledger write that
 * ledger-writer.ts, stripe-event-processor.ts and expiry-worker.ts still send on the CommandBus,
 * until the per-use-case commands replace it. LedgerCommandHandler forwards it to
 * AccountMailbox.submit, the write path's one entry.
 */
export class ExecuteLedgerCommand extends Command<WriteOutcome> {
  constructor(
    readonly accountId: string,
    readonly command: LedgerCommand,
    readonly context: CallerContext,
  ) {
    super();
  }
}
