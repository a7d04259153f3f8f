import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DocBlock } from './doc-blocks';
import { retarget } from './doc-blocks';

/**
 * Runs the blocks of one document in order in ONE bash process (state carries from block to block),
 * against a running instance. `curl` is a bash function there that records every answer and fails
 * the block on no answer, on ≥ 500, and on an answer outside what the block expects (2xx, or 4xx
 * under `<!-- doc-test: expect 4xx -->`). The first failing block stops the document.
 */

export interface CurlRecord {
  command: string;
  status: string;
  exitCode: number;
  verdict: string;
  answer: string;
}

export interface BlockResult {
  block: DocBlock;
  ok: boolean;
  /** Why it failed (empty when ok). */
  failure: string;
  curls: CurlRecord[];
  output: string;
  tookMs: number;
}

export interface RunOptions {
  baseUrl: string;
  blockTimeoutMs: number;
  /** Characters of an answer or an output kept in messages. */
  truncateAt: number;
}

/** The curl wrapper every document's shell starts with. */
const PRELUDE = join(__dirname, 'doc-prelude.sh');

export async function runDocBlocks(
  blocks: DocBlock[],
  options: RunOptions,
): Promise<BlockResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'doc-test-'));
  const work = join(dir, 'work');
  try {
    const script = [`source ${JSON.stringify(PRELUDE)}`];
    blocks.forEach((block, index) => {
      const expect = block.mode.kind === 'run' ? block.mode.expect : '2xx';
      writeFileSync(join(dir, `block-${index}.sh`), retarget(block.code, options.baseUrl) + '\n');
      script.push(
        `DOC_TEST_BLOCK=${index}; DOC_TEST_EXPECT=${expect}; echo "start ${index}"`,
        `set -e; { source "$DOC_TEST_DIR/block-${index}.sh"; } > "$DOC_TEST_DIR/out-${index}" 2>&1; set +e`,
        `echo "end ${index}"`,
      );
    });
    writeFileSync(join(dir, 'run.sh'), script.join('\n') + '\n');
    mkdirSync(work);
    const progress = await runScript(dir, work, options.blockTimeoutMs);
    return blocks.map((block, index) => judge(dir, work, block, index, progress, options));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Progress {
  started: Map<number, number>;
  ended: Map<number, number>;
  exitCode: number | null;
  timedOut: number | null;
  stderr: string;
}

function runScript(dir: string, work: string, blockTimeoutMs: number): Promise<Progress> {
  const progress: Progress = {
    started: new Map(),
    ended: new Map(),
    exitCode: null,
    timedOut: null,
    stderr: '',
  };
  return new Promise((done) => {
    // A clean environment: what a reader's fresh shell has, nothing of the test process (no keys).
    const child = spawn('bash', ['--noprofile', '--norc', join(dir, 'run.sh')], {
      cwd: work,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: work,
        LANG: 'C.UTF-8',
        TERM: 'dumb',
        DOC_TEST_DIR: dir,
      },
    });
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const arm = (index: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        progress.timedOut = index;
        killGroup(child.pid);
      }, blockTimeoutMs);
    };
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [what, index] = line.split(' ');
        if (what === 'start') {
          current = Number(index);
          progress.started.set(current, Date.now());
          arm(current);
        } else if (what === 'end') {
          clearTimeout(timer);
          progress.ended.set(Number(index), Date.now());
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      progress.stderr = (progress.stderr + chunk).slice(-4000);
    });
    // Whatever a block left running in the background goes with the document, at once (it may
    // hold the pipes open, which would otherwise keep 'close' waiting).
    child.on('exit', (code) => {
      progress.exitCode = code;
      killGroup(child.pid);
    });
    child.on('close', () => {
      clearTimeout(timer);
      done(progress);
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function judge(
  dir: string,
  work: string,
  block: DocBlock,
  index: number,
  progress: Progress,
  options: RunOptions,
): BlockResult {
  const cut = (text: string) =>
    text.length > options.truncateAt
      ? `${text.slice(0, options.truncateAt)}… (${text.length - options.truncateAt} more characters)`
      : text;
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const started = progress.started.get(index);
  const ended = progress.ended.get(index);
  const curls: CurlRecord[] = read(join(dir, `curls-${index}`))
    .split('\n')
    .filter(Boolean)
    .map((meta) => {
      const out = read(`${meta}.out`);
      const answer = out ? read(resolve(work, out)) : read(`${meta}.body`);
      return {
        command: read(`${meta}.cmd`).trim(),
        status: read(`${meta}.status`).split('\n').filter(Boolean).join(', ') || '(none)',
        exitCode: Number(read(`${meta}.rc`) || 0),
        verdict: read(`${meta}.verdict`),
        answer: cut(answer.trim()),
      };
    });
  const output = cut(read(join(dir, `out-${index}`)).trim());
  const result = { block, curls, output, tookMs: 0, ok: false, failure: '' };
  if (started === undefined) return { ...result, failure: 'not run (an earlier block failed)' };
  result.tookMs = (ended ?? Date.now()) - started;
  const badCurl = curls.find((curl) => curl.verdict !== 'ok');
  if (progress.timedOut === index)
    return { ...result, failure: `timed out after ${options.blockTimeoutMs} ms` };
  if (badCurl) return { ...result, failure: `a curl ${badCurl.verdict}` };
  if (ended === undefined)
    return {
      ...result,
      failure: `a command failed (the block runs with set -e -o pipefail; bash exit code ${progress.exitCode})`,
    };
  if (block.mode.kind === 'run' && block.mode.expect === '4xx' && curls.length === 0)
    return { ...result, failure: 'marked expect 4xx but runs no curl' };
  return { ...result, ok: true };
}
