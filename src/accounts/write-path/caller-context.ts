import type { CommandContext } from '../../ledger/commands';

/** The context a caller supplies; `now` comes from the one Clock when the command is decided. */
export type CallerContext = Omit<CommandContext, 'now'>;
