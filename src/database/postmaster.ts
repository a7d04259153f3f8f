import { spawn, type ChildProcess } from 'node:child_process';
import { PostgresOutput, quoteOutput, type DatabaseLog } from './database-log';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';
import type { PostgresAccount } from './postgres-account';
import type { PostgresRuntime } from './postgres-runtime';

export interface PostmasterOptions {
  runtime: PostgresRuntime;
  clusterDir: string;
  port: number;
  account: PostgresAccount | null;
  log: DatabaseLog;
  /**
   * True (the service): PostgreSQL gets its own session and process group, so a Ctrl-C or a
   * SIGINT sent to the service's whole process group does not reach it: the service drains first,
   * then stops it. False (the test suite's shared server): it dies with the group, so an
   * interrupted test run leaves nothing behind.
   */
  ownProcessGroup: boolean;
}

export interface PostmasterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It could not be started at all (spawn failed). */
  error?: Error;
}

/** Crash recovery after a kill replays the WAL since the last checkpoint: seconds, rarely more. */
export const POSTMASTER_START_TIMEOUT_MS = 120_000;
/**
 * A smart shutdown (SIGTERM) waits for the connected sessions to end by themselves. When the
 * service stops, its pools have just ended, but pg's pool.end() resolves before the server has
 * seen every connection go: a fast shutdown at that moment terminates the stragglers, and
 * PostgreSQL logs "terminating connection due to administrator command" for each. Smart lets them
 * finish; anyone still connected after this long (a CLI command) is then terminated by a fast one.
 */
export const POSTMASTER_SMART_STOP_MS = 5_000;
/** A fast shutdown (SIGINT) rolls back open transactions and writes a checkpoint. */
export const POSTMASTER_STOP_TIMEOUT_MS = 30_000;
/** After an immediate shutdown (SIGQUIT), and after SIGKILL: how long to wait for the exit. */
const POSTMASTER_KILL_WAIT_MS = 5_000;
const READY_LINE = 'database system is ready to accept connections';

/** One PostgreSQL server process (the postmaster) this process started, and how to stop it. */
export class Postmaster {
  readonly exited: Promise<PostmasterExit>;
  private readonly output: PostgresOutput;
  private hasExited = false;
  private readonly stopOnProcessExit = (): void => {
    // The service is ending without having stopped PostgreSQL (an uncaught error, process.exit):
    // a fast shutdown request is all that can be sent synchronously; PostgreSQL completes it alone.
    this.signal('SIGINT');
  };

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly options: PostmasterOptions,
  ) {
    this.output = new PostgresOutput(options.log);
    child.stdout!.on('data', (chunk: Buffer) => this.output.feed(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.output.feed(chunk));
    this.exited = new Promise<PostmasterExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // A spawn failure (EACCES, ENOENT) is an 'error' event, maybe without 'exit': never unhandled.
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    void this.exited.then(() => {
      this.hasExited = true;
      process.removeListener('exit', this.stopOnProcessExit);
    });
    process.on('exit', this.stopOnProcessExit);
  }

  static spawn(options: PostmasterOptions): Postmaster {
    const child = spawn(
      options.runtime.postgres,
      [
        '-D',
        options.clusterDir,
        '-p',
        String(options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        // English messages whatever the machine's language: start-up waits for one of them.
        '-c',
        'lc_messages=C',
      ],
      {
        // A folder the postgres user can enter: PostgreSQL programs fail in a working folder they cannot read.
        cwd: options.clusterDir,
        detached: options.ownProcessGroup,
        ...(options.account ? { uid: options.account.uid, gid: options.account.gid } : {}),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new Postmaster(child, options.port, options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.hasExited;
  }

  /** PostgreSQL's last lines (for error messages). */
  recentOutput(): string[] {
    return this.output.recent();
  }

  /** Resolves once PostgreSQL accepts connections; rejects, saying why, if it exits or hangs first. */
  async ready(timeoutMs = POSTMASTER_START_TIMEOUT_MS): Promise<void> {
    let onData: (chunk: Buffer) => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    let seen = '';
    const readyLine = new Promise<'ready'>((resolve) => {
      onData = (chunk) => {
        seen = (seen + chunk.toString()).slice(-2 * READY_LINE.length);
        if (seen.includes(READY_LINE)) resolve('ready');
      };
      this.child.stderr!.on('data', onData);
    });
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    try {
      const outcome = await Promise.race([readyLine, this.exited, timeout]);
      if (outcome === 'ready') return;
      if (outcome === 'timeout') {
        await this.stop();
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL in ${this.options.clusterDir} did not become ready within ${timeoutMs / 1000} s and was stopped.${quoteOutput(this.recentOutput())}`,
        );
      }
      throw this.startFailure(outcome);
    } finally {
      clearTimeout(timer);
      this.child.stderr!.removeListener('data', onData);
    }
  }

  /**
   * Smart shutdown (SIGTERM), fast (SIGINT) if sessions are still connected, immediate (SIGQUIT)
   * if that takes too long, SIGKILL as the last resort: each step bounded.
   */
  async stop(): Promise<void> {
    const steps = [
      ['SIGTERM', POSTMASTER_SMART_STOP_MS, ''],
      [
        'SIGINT',
        POSTMASTER_STOP_TIMEOUT_MS,
        `sessions still connected after ${POSTMASTER_SMART_STOP_MS / 1000} s; terminating them`,
      ],
      [
        'SIGQUIT',
        POSTMASTER_KILL_WAIT_MS,
        `no fast shutdown within ${POSTMASTER_STOP_TIMEOUT_MS / 1000} s; shutting down immediately`,
      ],
      ['SIGKILL', POSTMASTER_KILL_WAIT_MS, 'still running; killing it'],
    ] as const;
    for (const [signal, waitMs, why] of steps) {
      if (!this.running) return;
      if (why) this.options.log.warn(`embedded PostgreSQL (pid ${this.pid}): ${why} (${signal})`);
      this.signal(signal);
      if (await exitsWithin(this.exited, waitMs)) return;
    }
    this.options.log.error(
      `embedded PostgreSQL (pid ${this.pid}) is still running after SIGKILL; giving up on it`,
    );
  }

  /** Sends a signal now (synchronous: usable in a process 'exit' handler). */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      this.child.kill(signal);
    } catch {
      // already gone
    }
  }

  private startFailure(exit: PostmasterExit): EmbeddedPostgresError {
    const where = `The embedded PostgreSQL in ${this.options.clusterDir}`;
    if (exit.error) {
      return new EmbeddedPostgresError(
        `${where} could not be started: ${this.options.runtime.postgres} could not be run (${reasonOf(exit.error)}).`,
        { cause: exit.error },
      );
    }
    const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.code}`;
    return new EmbeddedPostgresError(
      `${where} ${how} during start-up.${quoteOutput(this.recentOutput())}`,
    );
  }
}

async function exitsWithin(exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
  );
  try {
    return await Promise.race([exited.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
