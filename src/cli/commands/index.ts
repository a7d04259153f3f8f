import type { CliCommand } from '../cli-command';
import { auditCommand } from './audit';
import { copyEventsCommand } from './copy-events';
import { rebuildCommand } from './rebuild';
import { verifyCommand } from './verify';

/** Every `npm run ledger -- <command>`; each lives in its own file in this folder. */
export const CLI_COMMANDS: CliCommand[] = [
  auditCommand,
  copyEventsCommand,
  rebuildCommand,
  verifyCommand,
];
