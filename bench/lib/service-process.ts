import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/database/project-root';

/**
 * The compiled service as `npm start` runs it (`node dist/src/main.js`), as a child process of the
 * bench, on the bench's PostgreSQL. Its stdout/stderr (the JSON log lines) go to a file, as a log
 * collector would take them; nothing in the bench reads them while it runs.
 */
export interface ServiceProcess {
  url: string;
  pid: number;
  logFile: string;
  logBytes(): number;
  /** With --profile: starts / stops the V8 CPU profiler inside the child (SIGUSR2 toggles it). */
  toggleProfile(): void;
  stop(): Promise<void>;
}

export async function startServiceProcess(options: {
  env: Record<string, string | undefined>;
  logFile: string;
  /** Preloads bench/children/profile-on-signal.js, which writes this .cpuprofile when toggled off. */
  profileFile?: string;
  log: (message: string) => void;
}): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = openSync(options.logFile, 'w');
  const main = join(projectRoot(), 'dist', 'src', 'main.js');
  const preload = options.profileFile
    ? ['-r', join(projectRoot(), 'dist', 'bench', 'children', 'profile-on-signal.js')]
    : [];
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...preload, main], {
      env: {
        ...options.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ...(options.profileFile ? { BENCH_PROFILE_FILE: options.profileFile } : {}),
      },
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited) throw new Error(`the service exited during start-up (see ${options.logFile})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer /health/live within 180 s (${options.logFile})`);
    }
    const up = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    await sleep(200);
  }
  return {
    url,
    pid: child.pid!,
    logFile: options.logFile,
    logBytes: () => statSync(options.logFile).size,
    toggleProfile: () => child.kill('SIGUSR2'),
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
      await exitedPromise;
      clearTimeout(killer);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
