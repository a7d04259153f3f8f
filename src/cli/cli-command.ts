import type { AppConfig } from '../config/app-config';
import type { Database } from '../database/database';
import type { EventStore } from '../event-store/event-store.port';

/** What a command gets: the validated config, lazily opened resources, and where to print. */
export interface CliContext {
  config: AppConfig;
  database(): Promise<Database>;
  eventStore(): Promise<EventStore>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stdout is a terminal (progress bars only then). */
  interactive: boolean;
}

export interface CliCommand {
  name: string;
  /** One line for `ledger help`. */
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], context: CliContext): Promise<number>;
}

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
