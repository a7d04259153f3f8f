import type { DatabaseLog } from './database-log';
import { reasonOf } from './embedded-postgres-error';
import type { Postmaster, PostmasterExit } from './postmaster';

/** What /health/live reports about the embedded PostgreSQL. */
export type EmbeddedHealth =
  | { status: 'up' }
  /** It died and is being started again: the process is still worth keeping. */
  | { status: 'restarting'; reason: string }
  /** It died and could not be restarted within the limits: restart the whole service. */
  | { status: 'failed'; reason: string };

export interface RestartLimits {
  /** Waits before successive attempts after a crash (the last one repeats). */
  delaysMs: readonly number[];
  /** At most this many restart attempts within windowMs; then the service is declared failed. */
  maxAttempts: number;
  windowMs: number;
}

/**
 * After a crash, the old server's backends take a moment to notice and exit, and until they have,
 * a new server refuses the cluster ("pre-existing shared memory block is still in use"): hence a
 * short first wait and a few attempts. Five attempts in ten minutes: a server that keeps dying is
 * a problem for a person (disk full, memory), and the service then says so on /health/live.
 */
export const DEFAULT_RESTART_LIMITS: RestartLimits = {
  delaysMs: [500, 1_000, 2_000, 4_000, 8_000],
  maxAttempts: 5,
  windowMs: 10 * 60_000,
};

/**
 * Keeps the embedded PostgreSQL running for the life of the service: when it exits without being
 * asked to (kill -9, OOM killer), starts it again on the same port and cluster (the pool's clients
 * reconnect; nothing committed is lost: PostgreSQL replays its WAL), within RestartLimits.
 */
export class PostmasterSupervisor {
  private state: EmbeddedHealth = { status: 'up' };
  private stopping = false;
  private readonly attempts: number[] = [];
  private restarting: Promise<void> | null = null;
  private wakeSleep: () => void = () => undefined;

  constructor(
    private current: Postmaster,
    private readonly spawn: () => Postmaster,
    private readonly log: DatabaseLog,
    private readonly limits: RestartLimits = DEFAULT_RESTART_LIMITS,
  ) {
    this.watch(current);
  }

  health(): EmbeddedHealth {
    return this.state;
  }

  get postmaster(): Postmaster {
    return this.current;
  }

  /** Stops PostgreSQL (bounded, see Postmaster.stop) and any restart in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleep();
    await this.current.stop();
    await this.restarting;
    await this.current.stop(); // a restart may have started one just before it saw `stopping`
  }

  private watch(postmaster: Postmaster): void {
    void postmaster.exited.then((exit) => {
      if (this.stopping || postmaster !== this.current) return;
      const reason = `the embedded PostgreSQL (pid ${postmaster.pid}) ${describeExit(exit)}`;
      this.state = { status: 'restarting', reason };
      this.log.error(`${reason}; starting it again`);
      this.restarting = this.restart(reason).finally(() => (this.restarting = null));
    });
  }

  private async restart(reason: string): Promise<void> {
    for (let failures = 0; !this.stopping; failures += 1) {
      const now = Date.now();
      while (this.attempts.length > 0 && now - this.attempts[0] > this.limits.windowMs)
        this.attempts.shift();
      if (this.attempts.length >= this.limits.maxAttempts) {
        this.state = {
          status: 'failed',
          reason: `${reason}; ${this.attempts.length} restart attempts within ${this.limits.windowMs / 60_000} min, no more`,
        };
        this.log.error(
          `${this.state.reason}: /health/live now answers 503 so that a supervisor restarts the service`,
        );
        return;
      }
      await this.sleep(this.limits.delaysMs[Math.min(failures, this.limits.delaysMs.length - 1)]);
      if (this.stopping) return;
      this.attempts.push(Date.now());
      const postmaster = this.spawn();
      this.current = postmaster;
      try {
        await postmaster.ready();
      } catch (error) {
        this.log.warn(
          `restart attempt ${this.attempts.length} of the embedded PostgreSQL failed: ${reasonOf(error)}`,
        );
        continue;
      }
      if (this.stopping) return;
      this.state = { status: 'up' };
      this.log.warn(
        `the embedded PostgreSQL is running again (pid ${postmaster.pid}, port ${postmaster.port})`,
      );
      this.watch(postmaster);
      return;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function describeExit(exit: PostmasterExit): string {
  if (exit.error) return `could not be run (${reasonOf(exit.error)})`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
