import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../../src/shared/clock';
import { startTestApp, type TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';
import { parseDoc, type DocBlock } from './doc-blocks';
import { DocDatabases } from './doc-databases';
import { runDocBlocks, type BlockResult } from './doc-shell';

/**
 * Every ```sh / ```bash block of README.md and docs/*.md runs, so that the docs cannot rot
 * (docs/development.md "Commands in the docs"). One test per document: its blocks in order in one
 * bash process, against a fresh instance of the service (its own database on the suite's embedded
 * PostgreSQL, real HTTP on a loopback port), so each document starts from an empty ledger as a
 * reader does, and no document depends on another's accounts.
 */

const ROOT = join(__dirname, '..', '..');

/** The keys the docs use (contracts: ADMIN_KEY, KEY, FINANCE_KEY, READ_KEY at the top of a doc). */
export const DOC_API_KEYS = [
  'admin:dev-admin-secret:admin',
  'service:dev-service-secret:read|spend|grant',
  'finance:dev-finance-secret:finance|read',
  'reader:dev-read-secret:read',
].join(',');

/** The Stripe webhook secret the instance checks signatures with (docs/stripe.md signs with it). */
export const DOC_STRIPE_WEBHOOK_SECRET = 'whsec_dev_webhook_secret';

/** The settings of the instance the docs run against (docs/development.md lists them). */
const DOC_ENV: Record<string, string> = {
  LEDGER_API_KEYS: DOC_API_KEYS,
  STRIPE_WEBHOOK_SECRET: DOC_STRIPE_WEBHOOK_SECRET,
  WIDGET_ALLOWED_ORIGINS: 'http://localhost:5173',
  DEMO_TOKENS: 'true',
  WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
  // A read with ?after= waits for the projector; on a busy CI machine 2 s (the default) is short.
  CONSISTENCY_TIMEOUT_MS: '15000',
};

const BLOCK_TIMEOUT_MS = 20_000;
const TRUNCATE_AT = 1_500;

const documents = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)]
  .filter((file) => file.endsWith('.md'))
  // DOC_FILE=pricing (a substring of the path) runs only the matching documents while writing one.
  .filter((file) => !process.env.DOC_FILE || file.includes(process.env.DOC_FILE))
  .sort()
  .map((file) => ({ file, ...parseDoc(readFileSync(join(ROOT, file), 'utf8')) }))
  .filter((doc) => doc.blocks.length > 0 || doc.problems.length > 0);

if (documents.length === 0)
  throw new Error(
    `no document with sh or bash blocks matches DOC_FILE=${process.env.DOC_FILE ?? ''}`,
  );

/** Documents with blocks to run (the ones that get an instance), in the order they run. */
const needsInstance = documents
  .filter((doc) => doc.problems.length === 0 && doc.blocks.some((b) => b.mode.kind === 'run'))
  .map((doc) => doc.file);

describe('the commands in the docs', () => {
  const report: string[] = [];
  let databases: DocDatabases;
  let instances: DocInstances;

  beforeAll(async () => {
    // What the docs themselves use; a reader has them too. Missing: one clear message, not 12.
    const missing = ['curl', 'jq', 'openssl'].filter(
      (tool) => spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0,
    );
    if (missing.length > 0)
      throw new Error(
        `the doc commands need ${missing.join(', ')} on the PATH (docs/development.md)`,
      );
    databases = await DocDatabases.create();
    instances = new DocInstances(databases);
  });

  afterAll(async () => {
    await instances?.closeAll();
    await databases?.drop();
    // Every skip with its reason, and what ran, in one place at the end of the run.
    process.stdout.write(`\ndoc commands:\n${report.join('\n')}\n`);
  });

  it.each(documents)(
    '$file',
    async ({ file, blocks, problems }) => {
      if (problems.length > 0)
        throw new Error(
          `${file}: ${problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('\n')}`,
        );
      for (const block of blocks)
        if (block.mode.kind === 'skip')
          report.push(`  ${file}:${block.line} skipped: ${block.mode.reason}`);
      const runnable = blocks.filter((block) => block.mode.kind === 'run');
      if (runnable.length === 0) return;

      const started = Date.now();
      const ready = instances.get(file);
      // The next document's instance boots while this one's blocks run.
      const next = needsInstance[needsInstance.indexOf(file) + 1];
      if (next) instances.prepare(next);
      const instance = await ready;
      const waited = Date.now() - started;
      let results: BlockResult[];
      try {
        results = await runDocBlocks(runnable, {
          baseUrl: instance.app.baseUrl,
          blockTimeoutMs: BLOCK_TIMEOUT_MS,
          truncateAt: TRUNCATE_AT,
        });
      } finally {
        instances.release(file);
      }
      const curls = results.reduce((sum, result) => sum + result.curls.length, 0);
      report.push(
        `  ${file}: ${runnable.length} block(s), ${curls} curl(s) in ${Date.now() - started} ms ` +
          `(waited ${waited} ms for its instance, which took ${instance.startMs} ms to start)`,
      );
      // DOC_VERBOSE=1: every command with its status and answer, to check what a doc claims.
      if (process.env.DOC_VERBOSE)
        for (const result of results)
          for (const curl of result.curls)
            report.push(
              `    ${file}:${result.block.line} ${curl.status} ${curl.command}\n      ${curl.answer}`,
            );
      const failed = results.find((result) => !result.ok);
      if (failed) throw new Error(describeFailure(file, failed, results));
    },
    120_000,
  );
});

interface DocInstance {
  app: TestApp;
  database: TestDatabase;
  startMs: number;
}

/**
 * One fresh instance per document, started ahead of time (the next document's while the current one
 * runs) and stopped in the background: the runs overlap the seconds an instance takes to boot.
 */
class DocInstances {
  private readonly starting = new Map<string, Promise<DocInstance>>();
  private readonly stopping: Promise<void>[] = [];

  constructor(private readonly databases: DocDatabases) {}

  prepare(file: string): void {
    if (this.starting.has(file)) return;
    const instance = this.start();
    instance.catch(() => undefined); // reported by get(), whoever asks first
    this.starting.set(file, instance);
  }

  get(file: string): Promise<DocInstance> {
    this.prepare(file);
    return this.starting.get(file)!;
  }

  release(file: string): void {
    const instance = this.starting.get(file);
    this.starting.delete(file);
    if (instance) this.stopping.push(instance.then(stop, () => undefined));
  }

  async closeAll(): Promise<void> {
    for (const file of [...this.starting.keys()]) this.release(file);
    await Promise.all(this.stopping);
  }

  private async start(): Promise<DocInstance> {
    const started = Date.now();
    const database = await this.databases.fresh();
    try {
      // The real clock, as a reader has: a signed Stripe event carries `date +%s`.
      const app = await startTestApp({ env: DOC_ENV, database, clock: new SystemClock() });
      return { app, database, startMs: Date.now() - started };
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
}

async function stop(instance: DocInstance): Promise<void> {
  try {
    await instance.app.close();
  } finally {
    await instance.database.drop();
  }
}

function describeFailure(file: string, failed: BlockResult, results: BlockResult[]): string {
  const where = (block: DocBlock) => `${file}:${block.line}`;
  const lines = [
    `${where(failed.block)}: ${failed.failure}`,
    '',
    `--- the block (${where(failed.block)}${failed.block.mode.kind === 'run' && failed.block.mode.expect === '4xx' ? ', expect 4xx' : ''}) ---`,
    failed.block.code,
    '',
    '--- its curls (in the order they ran) ---',
    ...(failed.curls.length === 0
      ? ['(none)']
      : failed.curls.flatMap((curl) => [
          `${curl.verdict === 'ok' ? 'ok ' : 'BAD'} ${curl.command}`,
          `    status ${curl.status}, curl exit code ${curl.exitCode}${curl.verdict === 'ok' ? '' : `: ${curl.verdict}`}`,
          `    answer: ${curl.answer || '(empty)'}`,
        ])),
    '',
    '--- the block printed ---',
    failed.output || '(nothing)',
  ];
  if (failed.curls.some((curl) => curl.status === '401'))
    lines.push(
      '',
      'A 401: a doc sets its keys at the top of its first block, e.g. ADMIN_KEY=dev-admin-secret, ' +
        'KEY=dev-service-secret, FINANCE_KEY=dev-finance-secret, READ_KEY=dev-read-secret.',
    );
  const passed = results.filter((result) => result.ok).map((result) => result.block.line);
  const notRun = results
    .filter((result) => !result.ok && result !== failed)
    .map((result) => result.block.line);
  lines.push(
    '',
    `Passed before it: lines ${passed.join(', ') || '-'}; not run: ${notRun.join(', ') || '-'}`,
  );
  return lines.join('\n');
}
