import { SILENT_LOG } from '../../src/database/database-log';
import type { Postmaster, PostmasterExit } from '../../src/database/postmaster';
import { PostmasterSupervisor, type RestartLimits } from '../../src/database/postmaster-supervisor';

/** A stand-in for one PostgreSQL process: the test decides when it is ready and when it dies. */
class FakePostmaster {
  static started = 0;
  readonly pid = 1000 + FakePostmaster.started++;
  readonly port = 5432;
  readonly exited: Promise<PostmasterExit>;
  running = true;
  private exit!: (exit: PostmasterExit) => void;

  constructor(private readonly startsFine: boolean) {
    this.exited = new Promise((resolve) => (this.exit = resolve));
  }

  async ready(): Promise<void> {
    if (!this.startsFine) {
      this.die({ code: 1, signal: null });
      throw new Error('FATAL: pre-existing shared memory block is still in use');
    }
  }

  die(exit: PostmasterExit = { code: null, signal: 'SIGKILL' }): void {
    this.running = false;
    this.exit(exit);
  }

  async stop(): Promise<void> {
    if (this.running) this.die({ code: 0, signal: null });
  }
}

const FAST: RestartLimits = { delaysMs: [1, 2, 4], maxAttempts: 3, windowMs: 60_000 };

function supervise(first: FakePostmaster, next: () => FakePostmaster, limits = FAST) {
  const spawned: FakePostmaster[] = [];
  const supervisor = new PostmasterSupervisor(
    first as unknown as Postmaster,
    () => {
      const postmaster = next();
      spawned.push(postmaster);
      return postmaster as unknown as Postmaster;
    },
    SILENT_LOG,
    limits,
  );
  return { supervisor, spawned };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PostmasterSupervisor', () => {
  it('starts PostgreSQL again when it dies, retrying while the old one is still in the way', async () => {
    const first = new FakePostmaster(true);
    const outcomes = [false, true];
    const { supervisor, spawned } = supervise(
      first,
      () => new FakePostmaster(outcomes.shift() ?? true),
    );
    first.die();
    for (let tick = 0; tick < 3; tick += 1) await Promise.resolve(); // the exit is noticed in a microtask
    expect(supervisor.health()).toEqual({
      status: 'restarting',
      reason: `the embedded PostgreSQL (pid ${first.pid}) was killed by SIGKILL`,
    });
    await until(() => supervisor.health().status === 'up');
    expect(spawned).toHaveLength(2);
    expect(supervisor.postmaster).toBe(spawned[1]);
    await supervisor.stop();
    expect(spawned[1].running).toBe(false);
  });

  it('gives up after the allowed attempts and says so (liveness then fails)', async () => {
    const first = new FakePostmaster(true);
    const { supervisor, spawned } = supervise(first, () => new FakePostmaster(false));
    first.die();
    await until(() => supervisor.health().status === 'failed');
    expect(spawned).toHaveLength(FAST.maxAttempts);
    expect(supervisor.health()).toEqual({
      status: 'failed',
      reason: `the embedded PostgreSQL (pid ${first.pid}) was killed by SIGKILL; 3 restart attempts within 1 min, no more`,
    });
    await supervisor.stop();
  });

  it('counts attempts over the window: a server that keeps dying is not restarted for ever', async () => {
    const first = new FakePostmaster(true);
    const { supervisor, spawned } = supervise(first, () => new FakePostmaster(true));
    first.die();
    for (let crash = 1; crash < FAST.maxAttempts; crash += 1) {
      await until(() => spawned.length === crash && supervisor.health().status === 'up');
      spawned[crash - 1].die();
    }
    await until(() => spawned.length === FAST.maxAttempts && supervisor.health().status === 'up');
    spawned[FAST.maxAttempts - 1].die();
    await until(() => supervisor.health().status === 'failed');
    expect(spawned).toHaveLength(FAST.maxAttempts);
    await supervisor.stop();
  });

  it('stops at once while waiting to restart, and starts nothing more', async () => {
    const first = new FakePostmaster(true);
    const { supervisor, spawned } = supervise(first, () => new FakePostmaster(true), {
      delaysMs: [60_000],
      maxAttempts: 3,
      windowMs: 60_000,
    });
    first.die();
    await supervisor.stop();
    expect(spawned).toHaveLength(0);
  });
});
