import type { CliCommand } from '../cli-command';
import { copyEventsCommand } from './copy-events';
import { rebuildCommand } from './rebuild';
import { verifyCommand } from './verify';

/** Every `npm run ledger -- <command>`; each lives in its own file in this folder. */
export const CLI_COMMANDS: CliCommand[] = [
  copyEventsCommand,
  rebuildCommand,
  verifyCommand,
];
