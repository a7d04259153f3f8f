import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const LINT_SCRIPT = join(ROOT, 'scripts', 'lint-workflows.js');
const CI_WORKFLOW = join(ROOT, '.github', 'workflows', 'ci.yml');
/** Loading the wasm linter and checking a file takes ~1 s; a busy machine gets some slack. */
const LINT_TIMEOUT_MS = 30_000;

/** `npm run lint:workflows [dir]` as CI runs it: exit code and output. */
async function lint(dir?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [LINT_SCRIPT, ...(dir ? [dir] : [])],
      { cwd: ROOT, timeout: LINT_TIMEOUT_MS },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('GitHub Actions workflows (actionlint)', () => {
  it(
    'finds no problem in .github/workflows',
    async () => {
      expect(await lint()).toEqual({ code: 0, output: 'workflows: no problems (actionlint)\n' });
    },
    LINT_TIMEOUT_MS,
  );

  it(
    'reports an invalid workflow with file, line and reason, and fails',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ledger-workflows-'));
      try {
        writeFileSync(
          join(dir, 'bad.yml'),
          'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    needs: build\n    steps:\n      - run: echo ${{ matrix.node }}\n',
        );
        writeFileSync(
          join(dir, 'broken.yaml'),
          'on: push\njobs:\n  test:\n    steps:\n      - run: [\n',
        );
        const { code, output } = await lint(dir);
        expect(code).toBe(1);
        expect(output).toMatch(/bad\.yml:3:\d+: job "test" needs job "build" which does not exist/);
        expect(output).toMatch(/bad\.yml:7:\d+: property "node" is not defined/);
        expect(output).toMatch(/broken\.yaml: actionlint could not check it/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    LINT_TIMEOUT_MS,
  );

  it('runs npm ci, npm run lint, npm test and the EventStoreDB suites on Node 20, the latter required to run', () => {
    const workflow = readFileSync(CI_WORKFLOW, 'utf8');
    expect(workflow).toContain('- run: npm ci');
    expect(workflow).toContain('- run: npm run lint\n');
    expect(workflow).toContain('- run: npm test');
    expect(workflow).toContain('- run: npm run test:esdb');
    expect(workflow).toContain('TEST_ESDB_REQUIRED: "true"');
    expect(workflow.match(/node-version: 20\n/g)).toHaveLength(3);
  });

  it('.ci/run runs the static checks and the tests, and fails when either fails', () => {
    const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(script).toContain('\nnpm ci\n');
    expect(script).toContain('\nnpm run lint || status=1\n');
    expect(script).toContain('\nnpm test || status=1\n');
    expect(script).toMatch(/\nexit "\$status"\n$/);
  });
});
