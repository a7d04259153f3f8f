/** Where the database layer reports: the service passes its logger, the CLI stderr, tests nothing. */
export interface DatabaseLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOG: DatabaseLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

type Level = keyof DatabaseLog;

/**
 * PostgreSQL's own severities, mapped to ours. ERROR lines are the failed statements of clients
 * (a lost optimistic-concurrency race is one): the application already handles and reports them,
 * so they stay at debug. FATAL is mostly a refused or ended client connection: warn. Continuation
 * lines (DETAIL, HINT, CONTEXT, STATEMENT) take the level of the line they belong to.
 */
const LEVEL_OF: Record<string, Level> = {
  DEBUG: 'debug',
  LOG: 'debug',
  INFO: 'debug',
  NOTICE: 'debug',
  ERROR: 'debug',
  WARNING: 'warn',
  FATAL: 'warn',
  PANIC: 'error',
};
/**
 * FATALs that only refuse a client while the server starts, recovers or stops: the service
 * already reports that state (readiness, the supervisor's own lines); one per connection attempt
 * would flood the log.
 */
const REFUSED_WHILE_CHANGING_STATE =
  /FATAL:\s+the database system is (starting up|not yet accepting connections|shutting down|in recovery mode)/;
const SEVERITY =
  /\b(DEBUG\d?|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY):\s/;

/** Lines kept for error messages: enough for PostgreSQL's reason and its hints, never unbounded. */
const RECENT_LINES = 20;

/**
 * The output of a PostgreSQL program (postgres, initdb): split into lines, forwarded to the log
 * at the line's severity, and the last few kept so a failure can say what PostgreSQL said.
 */
export class PostgresOutput {
  private readonly recentLines: string[] = [];
  private partial = '';
  private level: Level = 'debug';

  constructor(
    private readonly log: DatabaseLog,
    private readonly prefix = 'postgres: ',
  ) {}

  feed(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** The last lines (the unterminated one included), oldest first. */
  recent(): string[] {
    return this.partial.trim() ? [...this.recentLines, this.partial.trim()] : [...this.recentLines];
  }

  private line(raw: string): void {
    const line = raw.trimEnd();
    if (!line.trim()) return;
    this.recentLines.push(line);
    if (this.recentLines.length > RECENT_LINES) this.recentLines.shift();
    const severity = SEVERITY.exec(line)?.[1]?.replace(/\d$/, '');
    if (severity && LEVEL_OF[severity])
      this.level = REFUSED_WHILE_CHANGING_STATE.test(line) ? 'debug' : LEVEL_OF[severity];
    this.log[this.level](`${this.prefix}${line}`);
  }
}

/** PostgreSQL's last lines as an indented block for an error message (empty when it said nothing). */
export function quoteOutput(lines: string[]): string {
  return lines.length === 0
    ? ''
    : `\nPostgreSQL said:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}
