import 'reflect-metadata';
import { ConfigError } from '../config/app-config';
import { loadDotEnv } from '../config/dot-env';
import { loadConfig } from '../config/load-config';
import { CLI_COMMANDS } from './commands';
import { runCli } from './run-cli';

/** `npm run ledger -- <command>`: operations on the same configuration as the service. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const exitCode = await runCli(process.argv.slice(2), config, CLI_COMMANDS, {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdout.isTTY),
  });
  process.exitCode = exitCode;
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
