import 'reflect-metadata';
import { failureReason } from '../app/failure-reason';
import { ConfigError } from '../config/app-config';
import { loadDotEnv } from '../config/dot-env';
import { loadConfig } from '../config/load-config';
import { CLI_COMMANDS } from './commands';
import { runCli } from './run-cli';

/** `npm run ledger -- <command>`: operations on the same configuration as the service. */
async function main(): Promise<void> {
  // Interrupted: exit at once. The embedded PostgreSQL this command started, if any, gets its
  // fast-shutdown request from the exit hook (src/database/postmaster.ts); one it uses is left alone.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`ledger: ${signal} received, stopping\n`);
      process.exit(130);
    });
  }
  loadDotEnv();
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const exitCode = await runCli(process.argv.slice(2), config, CLI_COMMANDS, {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stdout.isTTY),
  });
  await exitWith(exitCode);
}

/** Exits explicitly once output is flushed, with the command's exit code. */
async function exitWith(code: number): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
    ),
  );
  process.exit(code);
}

main().catch(async (error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `ledger: ${failureReason(error)}\n`,
  );
  await exitWith(1);
});
