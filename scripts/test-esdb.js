#!/usr/bin/env node
// `npm run test:esdb`: the EventStoreDB suites (jest.esdb.config.js) against a real server.
// - EVENTSTORE_CONNECTION_STRING set: that server (an existing node or cluster).
// - else Docker answers: jest's global setup starts KurrentDB with testcontainers and stops it.
// - else: one line starting `skipped:` and exit 0 — or exit 1 with TEST_ESDB_REQUIRED=true
//   (CI, where a skip would pass without testing anything).
// Plain JavaScript so that the skip costs no compile; extra arguments go to jest.
'use strict';

const { spawn } = require('node:child_process');
const { join } = require('node:path');

/** The probe never hangs the run: a daemon that does not answer by then counts as none. */
const DOCKER_PROBE_TIMEOUT_MS = 10_000;
const ESDB_JEST_CONFIG = join(__dirname, '..', 'jest.esdb.config.js');

/** testcontainers' own runtime discovery (DOCKER_HOST, ~/.testcontainers.properties, the sockets). */
function containerRuntimeClient() {
  return require('testcontainers').getContainerRuntimeClient();
}

async function probeDocker(
  timeoutMs = DOCKER_PROBE_TIMEOUT_MS,
  getClient = containerRuntimeClient,
) {
  let timer;
  const expired = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve({ available: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const probe = (async () => {
    try {
      const client = await getClient();
      return { available: true, reason: `Docker ${client.info.containerRuntime.serverVersion}` };
    } catch (error) {
      return { available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  })();
  try {
    return await Promise.race([probe, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function runJest(args, env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--config', ESDB_JEST_CONFIG, ...args],
      { stdio: 'inherit', env },
    );
    // Ctrl-C reaches jest too (same process group); a plain `kill` of this script is passed on.
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function isTrue(value) {
  return /^(1|true|yes)$/i.test(String(value ?? '').trim());
}

/** What to do, given the environment; returns the exit code. Injected effects for the unit test. */
async function main({
  env = process.env,
  args = [],
  probe = probeDocker,
  run = runJest,
  out = process.stdout,
  err = process.stderr,
} = {}) {
  if (env.EVENTSTORE_CONNECTION_STRING?.trim()) return run(args, env);
  const docker = await probe();
  if (docker.available) return run(args, env);
  const why = `no Docker (${docker.reason}) and no EVENTSTORE_CONNECTION_STRING (set it to use a running server)`;
  if (isTrue(env.TEST_ESDB_REQUIRED)) {
    err.write(`test:esdb failed: TEST_ESDB_REQUIRED is set but there is ${why}\n`);
    return 1;
  }
  out.write(`skipped: EventStoreDB suites not run: ${why}\n`);
  return 0;
}

module.exports = { main, probeDocker, DOCKER_PROBE_TIMEOUT_MS };

if (require.main === module) {
  main({ args: process.argv.slice(2) }).then(
    // Exit explicitly: a probe that timed out may leave a socket open.
    (code) => process.stdout.write('', () => process.exit(code)),
    (error) => {
      process.stderr.write(
        `test:esdb failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
