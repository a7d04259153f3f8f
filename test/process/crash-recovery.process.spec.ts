import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isAlive,
  postmasterOf,
  removeDataDir,
  runCli,
  ServiceProcess,
  temporaryDataDir,
} from './support/service-process';

/**
 * Issue 11, items 8 and 9: kill -9 the service or its PostgreSQL under load; the service comes
 * back by itself, nothing acknowledged is lost, nothing is applied twice on retry, `ledger verify`
 * works on the live system, and a start that cannot work says why.
 */
describe('crashes', () => {
  const dataDir = temporaryDataDir('crash');
  let service: ServiceProcess | undefined;

  // One service runs through the tests (each builds on the previous one's state); whatever is
  // left running at the end is killed and its PostgreSQL stopped by removeDataDir.
  afterAll(async () => {
    if (service && !service.hasExited) await service.stop('SIGKILL');
    await removeDataDir(dataDir);
  });
  const running = (): ServiceProcess => {
    if (!service || service.hasExited)
      throw new Error('the service of the previous test is not running');
    return service;
  };

  it('starts again after kill -9 of the service under load, with no write lost or applied twice', async () => {
    service = await ServiceProcess.start({ dataDir });
    const load = new GrantLoad(service, 'svc');
    await load.untilAcknowledged(20);
    const orphan = postmasterOf(dataDir)!;
    service.child.kill('SIGKILL');
    await service.exited;
    await load.stopped();
    expect(isAlive(orphan.pid)).toBe(true); // what used to make every later start fail

    service = await ServiceProcess.start({ dataDir });
    expect(service.listening).toBe(true);
    expect(service.lines.join('\n')).toContain(
      `an embedded PostgreSQL (pid ${orphan.pid}) is still running`,
    );
    expect(isAlive(orphan.pid)).toBe(false);
    await load.retryAllOn(service);
    await load.expectEachAppliedOnce(service);
  }, 180_000);

  it("runs ledger verify and audit on the live system, through the service's PostgreSQL (item 8)", async () => {
    const service = running();
    const verify = runCli(['verify'], { dataDir, cwd: dataDir });
    expect(verify.stderr).toContain(
      `using the embedded PostgreSQL of credits-ledger-all (pid ${service.pid})`,
    );
    expect(verify.stdout).toContain('no differences');
    expect(verify.status).toBe(0);
    const audit = runCli(['audit', 'svc-0'], { dataDir, cwd: dataDir });
    expect(audit.stdout).toContain('account svc-0');
    expect(audit.status).toBe(0);
    expect(await service.status('/health/ready')).toBe(200);
  }, 120_000);

  it('refuses a second service on the same DATA_DIR, naming the first', async () => {
    const service = running();
    const second = await ServiceProcess.start({ dataDir });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    const said = second.lines.join('\n');
    expect(said).toContain(
      `credits ledger failed to start: DATA_DIR ${dataDir} is in use: its embedded PostgreSQL (pid ${postmasterOf(dataDir)!.pid}`,
    );
    expect(said).toContain(`belongs to credits-ledger-all (pid ${service.pid}), which is running`);
    expect(said).not.toMatch(/undefined|\n\s+at /);
    expect(await service.status('/health/ready')).toBe(200);
  }, 120_000);

  it('restarts its PostgreSQL after kill -9 under load, stays live meanwhile, and still stops cleanly', async () => {
    const service = running();
    const load = new GrantLoad(service, 'pg');
    await load.untilAcknowledged(10);
    const killed = postmasterOf(dataDir)!;
    process.kill(killed.pid, 'SIGKILL');

    const seen = { ready: new Set<number>(), live: new Set<number>() };
    await service.waitFor(
      async () => {
        seen.live.add(await service.status('/health/live'));
        const ready = await service.status('/health/ready');
        seen.ready.add(ready);
        return seen.ready.has(503) && ready === 200;
      },
      60_000,
      'readiness to fail, then recover',
    );
    expect([...seen.live]).toEqual([200]);
    expect(postmasterOf(dataDir)!.pid).not.toBe(killed.pid);
    expect(service.lines.join('\n')).toContain('the embedded PostgreSQL is running again');
    await load.stopped();

    await load.retryAllOn(service);
    await load.expectEachAppliedOnce(service);
    expect(await service.stop()).toEqual({ code: 0, signal: null });
    expect(service.lines.join('\n')).toContain('stopped cleanly');
  }, 180_000);

  it('says why PostgreSQL did not start, in its own words', async () => {
    appendFileSync(join(dataDir, 'pg', 'postgresql.conf'), '\nshared_buffers = plenty\n');
    const failed = await ServiceProcess.start({ dataDir });
    expect(await failed.exited).toEqual({ code: 1, signal: null });
    const said = failed.lines.join('\n');
    expect(said).toMatch(
      /credits ledger failed to start: The embedded PostgreSQL in \S+ exited with code 1 during start-up\./,
    );
    expect(said).toContain('PostgreSQL said:');
    expect(said).toContain('invalid value for parameter "shared_buffers": "plenty"');
    expect(said).not.toMatch(/undefined|\n\s+at /);
  }, 120_000);
});

interface Attempt {
  accountId: string;
  key: string;
  credits: number;
  /** The first answer's status (0: no answer: refused connection, reset, the process died). */
  status: number;
  blockId?: string;
}

/** Grants with Idempotency-Keys from a few concurrent clients, until stopped by a failure or enough of them. */
class GrantLoad {
  readonly attempts: Attempt[] = [];
  private readonly clients: Promise<void>[];
  private halt = false;

  constructor(service: ServiceProcess, prefix: string, concurrency = 4) {
    this.clients = Array.from({ length: concurrency }, (_, client) =>
      this.run(service, `${prefix}-${client}`),
    );
  }

  async untilAcknowledged(count: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (this.attempts.filter((attempt) => attempt.status === 201).length < count) {
      if (Date.now() > deadline)
        throw new Error(
          `fewer than ${count} grants acknowledged in 60 s: ${JSON.stringify(this.attempts.slice(-5))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Waits for every client to have stopped (each stops at its first request that gets no 201). */
  async stopped(): Promise<void> {
    this.halt = true;
    await Promise.all(this.clients);
  }

  /** The same requests again, same keys: the applied ones answer their first answer again. */
  async retryAllOn(service: ServiceProcess): Promise<void> {
    for (const attempt of this.attempts) {
      const retry = await service.post(`/v1/accounts/${attempt.accountId}/grants`, body(attempt), {
        'idempotency-key': attempt.key,
      });
      expect(retry.status).toBe(201);
      if (attempt.status === 201) expect(retry.body.blockId).toBe(attempt.blockId);
    }
  }

  async expectEachAppliedOnce(service: ServiceProcess): Promise<void> {
    const accounts = [...new Set(this.attempts.map((attempt) => attempt.accountId))];
    for (const accountId of accounts) {
      const expected = this.attempts
        .filter((attempt) => attempt.accountId === accountId)
        .reduce((sum, attempt) => sum + attempt.credits, 0);
      expect({
        accountId,
        balance: (await service.get(`/v1/accounts/${accountId}/balance`)).body.balance,
      }).toEqual({ accountId, balance: expected });
    }
  }

  private async run(service: ServiceProcess, accountId: string): Promise<void> {
    for (let index = 0; !this.halt || this.attempts.length === 0; index += 1) {
      const attempt: Attempt = {
        accountId,
        key: `${accountId}-${index}`,
        credits: 1 + (index % 7),
        status: 0,
      };
      this.attempts.push(attempt);
      try {
        const answer = await service.post(`/v1/accounts/${accountId}/grants`, body(attempt), {
          'idempotency-key': attempt.key,
        });
        attempt.status = answer.status;
        attempt.blockId = answer.body?.blockId;
      } catch {
        attempt.status = 0;
      }
      if (attempt.status !== 201) return;
    }
  }
}

function body(attempt: Attempt): Record<string, unknown> {
  return { credits: attempt.credits, category: 'promotional', reason: 'signup' };
}
