import type { CliCommand } from '../cli-command';

/** Every `npm run ledger -- <command>`; each lives in its own file in this folder. */
export const CLI_COMMANDS: CliCommand[] = [];
