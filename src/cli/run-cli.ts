import type { AppConfig } from '../config/app-config';
import { Database } from '../database/database';
import type { DatabaseLog } from '../database/database-log';
import { createEventStore } from '../event-store/event-store.factory';
import type { EventStore } from '../event-store/event-store.port';
import { UsageError, type CliCommand, type CliContext } from './cli-command';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  interactive: boolean;
}

/** Runs one command and closes what it opened; returns the exit code. */
export async function runCli(
  argv: string[],
  config: AppConfig,
  commands: CliCommand[],
  io: CliIo,
): Promise<number> {
  const [name, ...args] = argv;
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    if (name && name !== 'help' && name !== '--help')
      io.stderr.write(`unknown command: ${name}\n\n`);
    io.stdout.write(helpText(commands));
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  const opened: { database?: Promise<Database>; eventStore?: Promise<EventStore> } = {};
  const context: CliContext = {
    config,
    ...io,
    database: () =>
      (opened.database ??= Database.open({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolMax: 5,
        applicationName: `credits-ledger-cli-${command.name}`,
        // On a live system, the running service's embedded PostgreSQL (a second server cannot open
        // the same cluster); otherwise one of its own for the command's duration.
        whenRunning: 'use',
        log: stderrLog(io.stderr),
      })),
    eventStore: () =>
      (opened.eventStore ??= context
        .database()
        .then((database) => createEventStore(config, database))),
  };
  try {
    return await command.run(args, context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nusage: ledger ${command.usage}\n`);
      return 2;
    }
    throw error;
  } finally {
    if (opened.eventStore) await (await opened.eventStore).close();
    if (opened.database) await (await opened.database).close();
  }
}

/** The database's notices and warnings, one line each on stderr (stdout is the command's output). */
function stderrLog(stderr: NodeJS.WritableStream): DatabaseLog {
  const write = (message: string) => void stderr.write(`ledger: ${message}\n`);
  return { debug: () => undefined, info: write, warn: write, error: write };
}

function helpText(commands: CliCommand[]): string {
  const width = Math.max(0, ...commands.map((command) => command.usage.length));
  const lines = commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`);
  return `usage: npm run ledger -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}
