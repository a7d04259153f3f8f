import type { Provider } from '@nestjs/common';

/** The command handlers of the accounts feature: one per use case, each submitting to the mailbox. */
export const ACCOUNT_COMMAND_HANDLERS: Provider[] = [];
