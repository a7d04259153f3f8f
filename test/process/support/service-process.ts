import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../../src/database/embedded-postgres';

/** The compiled service and CLI, as `npm start` and `npm run ledger` run them (npm test compiles first). */
export const DIST = join(__dirname, '../../../dist');
export const MAIN = join(DIST, 'src/main.js');
export const CLI = join(DIST, 'src/cli/main.js');

/** Generous: a 2-core CI machine shared with other jobs starts a cold PostgreSQL slowly. */
export const START_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_MS = 60_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceOptions {
  dataDir?: string;
  cwd?: string;
  /** Its own process group (to send it a group-wide SIGINT, as Ctrl-C does). */
  ownProcessGroup?: boolean;
  main?: string;
  env?: Record<string, string>;
}

/** `node dist/src/main.js` as a child process: its output as lines, its exit, plain HTTP to it. */
export class ServiceProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private partial = { stdout: '', stderr: '' };

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly dataDir: string | undefined,
  ) {
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]!.on('data', (chunk: Buffer) => {
        const text = this.partial[stream] + chunk.toString('utf8');
        const complete = text.split('\n');
        this.partial[stream] = complete.pop()!;
        this.lines.push(
          ...complete
            .filter((line) => line.trim() !== '')
            .map((line) => (stream === 'stderr' ? `[stderr] ${line}` : line)),
        );
      });
    }
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
  }

  /** Starts the service; resolves once it listens (or has exited: see `exitedEarly`). */
  static async start(options: ServiceOptions = {}): Promise<ServiceProcess> {
    const port = await findFreePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      DATABASE_URL: undefined,
      TEST_DATABASE_URL: undefined,
      LEDGER_API_KEYS: undefined,
      ROLE: undefined,
      ...(options.dataDir ? { DATA_DIR: options.dataDir } : { DATA_DIR: undefined }),
      ...options.env,
    };
    const child = spawn(process.execPath, [options.main ?? MAIN], {
      cwd: options.cwd ?? options.dataDir ?? tmpdir(),
      env: env,
      detached: options.ownProcessGroup ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ServiceProcess(child, port, options.dataDir);
    await service.waitFor(
      () => service.listening || service.hasExited,
      START_TIMEOUT_MS,
      'the service to listen',
    );
    return service;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get listening(): boolean {
    return this.lines.some((line) => line.includes('listening on http'));
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The JSON log lines at warn (40) or above, and anything on stderr. */
  problems(): string[] {
    return (
      this.lines
        .filter(
          (line) =>
            line.startsWith('[stderr]') || Number(/"level":(\d+)/.exec(line)?.[1] ?? 0) >= 40,
        )
        // What a development start announces on purpose (open mode, a per-process token key).
        .filter(
          (line) =>
            !line.includes('NO API KEYS CONFIGURED') &&
            !line.includes('CUSTOMER_TOKEN_SECRET IS NOT SET'),
        )
    );
  }

  /** Lines at error (50) or above, and anything on stderr. */
  errors(): string[] {
    return this.lines.filter(
      (line) => line.startsWith('[stderr]') || Number(/"level":(\d+)/.exec(line)?.[1] ?? 0) >= 50,
    );
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (!this.hasExited) this.child.kill(signal);
    return withTimeout(this.exited, STOP_TIMEOUT_MS, `the service to exit after ${signal}`);
  }

  async waitFor(
    condition: () => boolean | Promise<boolean>,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; output:\n${this.lines.slice(-30).join('\n')}`,
        );
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
  }

  async waitForLine(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<string> {
    await this.waitFor(
      () => this.lines.some((line) => pattern.test(line)),
      timeoutMs,
      `a line matching ${pattern}`,
    );
    return this.lines.find((line) => pattern.test(line))!;
  }

  async status(path: string): Promise<number> {
    try {
      return (await fetch(`${this.baseUrl}${path}`)).status;
    } catch {
      return 0;
    }
  }

  async post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** A signup grant of `credits` to `accountId`: something for the write path and projectors to do. */
  grantSignupCredits(accountId: string, credits: number): Promise<{ status: number; body: any }> {
    return this.post(`/v1/accounts/${accountId}/grants`, {
      credits,
      category: 'promotional',
      reason: 'signup',
    });
  }

  async get(path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}

/** A DATA_DIR of its own, directly under the temp folder (which PostgreSQL's user can enter). */
export function temporaryDataDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `ledger-${name}-`));
}

/** The embedded PostgreSQL's pid and port, from its postmaster.pid (null when it is not running). */
export function postmasterOf(dataDir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its new parent) is not alive.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

/** A client on the embedded database of a DATA_DIR (the service's credentials). */
export async function connectTo(dataDir: string): Promise<Client> {
  const postmaster = postmasterOf(dataDir);
  if (!postmaster) throw new Error(`no PostgreSQL running on ${dataDir}`);
  const client = new Client({
    connectionString: `postgres://postgres:ledger-embedded@127.0.0.1:${postmaster.port}/ledger`,
    application_name: 'ledger-process-test',
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Runs the compiled CLI (`npm run ledger -- ...`) on a DATA_DIR. */
export function runCli(
  args: string[],
  options: { dataDir?: string; cwd: string; cli?: string },
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: START_TIMEOUT_MS,
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      DATABASE_URL: undefined,
      TEST_DATABASE_URL: undefined,
      LOG_LEVEL: 'warn',
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Leaves nothing behind whatever a test did: stops a PostgreSQL still running on the DATA_DIR
 * (a test that failed half-way, an orphan), then removes the folder and, when the cluster was
 * relocated (a private folder as root), the folder it links to.
 */
export async function removeDataDir(dataDir: string): Promise<void> {
  const postmaster = postmasterOf(dataDir);
  if (postmaster && isAlive(postmaster.pid)) {
    process.kill(postmaster.pid, 'SIGQUIT');
    const deadline = Date.now() + 10_000;
    while (isAlive(postmaster.pid) && Date.now() < deadline)
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  const link = join(dataDir, 'pg');
  if (existsSync(dataDir) && lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) {
    rmSync(dirname(resolve(dataDir, readlinkSync(link))), { recursive: true, force: true });
  }
  rmSync(dataDir, { recursive: true, force: true });
}

export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
            timeoutMs,
          )),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
