import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_POSTGRES_IMAGE,
  kurrentDbEnvironment,
  kurrentDbImage,
  postgresImage,
} from '../support/containers';

// Plain JavaScript (no compile before the skip); its own types are the shapes used below.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a .js file without typings: `import` would be `any`
const runner = require('../../scripts/test-esdb.js') as {
  main(options: {
    env: Record<string, string | undefined>;
    args?: string[];
    probe: () => Promise<{ available: boolean; reason: string }>;
    run: (args: string[], env: Record<string, string | undefined>) => Promise<number>;
    out: { write(text: string): unknown };
    err: { write(text: string): unknown };
  }): Promise<number>;
  probeDocker(
    timeoutMs: number,
    getClient: () => Promise<unknown>,
  ): Promise<{ available: boolean; reason: string }>;
};

const ROOT = join(__dirname, '..', '..');

function harness(docker: { available: boolean; reason: string }) {
  const out: string[] = [];
  const err: string[] = [];
  const probe = jest.fn(async () => docker);
  const run = jest.fn(async () => 0);
  const main = (env: Record<string, string | undefined>, args: string[] = []) =>
    runner.main({
      env,
      args,
      probe,
      run,
      out: { write: (text: string) => out.push(text) },
      err: { write: (text: string) => err.push(text) },
    });
  return { out, err, probe, run, main };
}

const NO_DOCKER = {
  available: false,
  reason: 'Could not find a working container runtime strategy',
};

describe('npm run test:esdb (scripts/test-esdb.js)', () => {
  it('without Docker and without a connection string: one line starting `skipped:` naming both, exit 0', async () => {
    const { out, err, run, main } = harness(NO_DOCKER);
    expect(await main({})).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^skipped: .*\n$/);
    expect(out[0]).toContain('Docker');
    expect(out[0]).toContain('EVENTSTORE_CONNECTION_STRING');
    expect(out[0].trim().split('\n')).toHaveLength(1);
    expect(err).toEqual([]);
    expect(run).not.toHaveBeenCalled();
  });

  it('fails instead of skipping when TEST_ESDB_REQUIRED is set (CI)', async () => {
    const { out, err, run, main } = harness(NO_DOCKER);
    expect(await main({ TEST_ESDB_REQUIRED: 'true' })).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/TEST_ESDB_REQUIRED.*no Docker.*EVENTSTORE_CONNECTION_STRING/);
    expect(run).not.toHaveBeenCalled();
  });

  it('with Docker: runs the suites (their global setup starts KurrentDB), passing arguments and exit code on', async () => {
    const { probe, run, main } = harness({ available: true, reason: 'Docker 27.0' });
    run.mockResolvedValueOnce(3);
    expect(await main({ PATH: '/bin' }, ['-t', 'contract'])).toBe(3);
    expect(probe).toHaveBeenCalled();
    expect(run).toHaveBeenCalledWith(['-t', 'contract'], { PATH: '/bin' });
  });

  it('with EVENTSTORE_CONNECTION_STRING: runs against that server without looking for Docker', async () => {
    const { probe, run, main } = harness(NO_DOCKER);
    const env = { EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false' };
    expect(await main(env)).toBe(0);
    expect(probe).not.toHaveBeenCalled();
    expect(run).toHaveBeenCalledWith([], env);
  });

  it("asks Docker through testcontainers' runtime discovery, bounded in time", async () => {
    // Fakes of the discovery: a real call would contact Docker wherever there is one, and plain
    // `npm test` stays Docker-free.
    const never = () => new Promise<never>(() => undefined);
    const started = Date.now();
    expect(await runner.probeDocker(200, never)).toEqual({
      available: false,
      reason: 'no answer within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    const refused = async () => {
      throw new Error('Could not find a working container runtime strategy');
    };
    expect(await runner.probeDocker(200, refused)).toEqual({
      available: false,
      reason: 'Could not find a working container runtime strategy',
    });
    const docker = async () => ({ info: { containerRuntime: { serverVersion: '27.3.1' } } });
    expect(await runner.probeDocker(200, docker)).toEqual({
      available: true,
      reason: 'Docker 27.3.1',
    });
  });
});

describe('the EventStoreDB run lists every suite with an EventStoreDB variant (jest.esdb.config.js)', () => {
  /** What makes a spec file depend on a server: the gate of test/event-store/eventstoredb/server.ts, or the variable. */
  const GATES = [/describeWithServer\(/, /process\.env\.EVENTSTORE_CONNECTION_STRING/];

  function specFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return specFiles(path);
      return entry.name.endsWith('.spec.ts') && path !== __filename ? [path] : [];
    });
  }

  it('runs each gated spec file', async () => {
    const gated = specFiles(join(ROOT, 'test')).filter((path) =>
      GATES.some((gate) => gate.test(readFileSync(path, 'utf8'))),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        require.resolve('jest/bin/jest'),
        '--config',
        join(ROOT, 'jest.esdb.config.js'),
        '--listTests',
      ],
      {
        cwd: ROOT,
        timeout: 30_000,
      },
    );
    const listed = new Set(stdout.trim().split('\n'));
    const missing = gated.filter((path) => !listed.has(path)).map((path) => relative(ROOT, path));
    expect(missing).toEqual([]);
    // The gated files known today, so an accidental change of the gate shows here.
    expect(gated.map((path) => relative(ROOT, path)).sort()).toEqual([
      'test/e2e/no-overdraft.e2e.spec.ts',
      'test/event-store/eventstoredb/eventstoredb-long-stream.spec.ts',
      'test/event-store/eventstoredb/eventstoredb-projector-source.spec.ts',
      'test/event-store/eventstoredb/eventstoredb.contract.spec.ts',
    ]);
  }, 30_000);
});

describe('containers for the test runs (test/support/containers.ts)', () => {
  it("uses docker-compose.yml's KurrentDB image unless KURRENTDB_IMAGE overrides it", () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const image = kurrentDbImage({});
    expect(compose).toContain(`image: \${KURRENTDB_IMAGE:-${image}}`);
    expect(kurrentDbImage({ KURRENTDB_IMAGE: ' kurrentplatform/kurrentdb:25.0 ' })).toBe(
      'kurrentplatform/kurrentdb:25.0',
    );
  });

  it('says so when docker-compose.yml no longer pins the image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-compose-'));
    try {
      writeFileSync(
        join(dir, 'docker-compose.yml'),
        'services:\n  kurrentdb:\n    image: kurrentplatform/kurrentdb:25.1\n',
      );
      expect(() => kurrentDbImage({}, join(dir, 'docker-compose.yml'))).toThrow(
        /set KURRENTDB_IMAGE/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sets the compose file's settings with the prefix the image reads", () => {
    expect(kurrentDbEnvironment('kurrentplatform/kurrentdb:25.1')).toEqual({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'None',
    });
    expect(kurrentDbEnvironment('docker.kurrent.io/kurrent-latest/kurrentdb:25.1')).toHaveProperty(
      'KURRENTDB_INSECURE',
      'true',
    );
    expect(kurrentDbEnvironment('eventstore/eventstore:24.10')).toEqual({
      EVENTSTORE_CLUSTER_SIZE: '1',
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'None',
    });
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const [name, value] of Object.entries(kurrentDbEnvironment(kurrentDbImage({}))))
      expect(compose).toMatch(new RegExp(`${name}: "?${value}"?\n`));
  });

  it('uses a stock postgres:17 for TEST_DATABASE=container unless TEST_POSTGRES_IMAGE overrides it', () => {
    expect(postgresImage({})).toBe(DEFAULT_POSTGRES_IMAGE);
    expect(DEFAULT_POSTGRES_IMAGE).toBe('postgres:17');
    expect(postgresImage({ TEST_POSTGRES_IMAGE: 'postgres:18' })).toBe('postgres:18');
  });
});
