import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { LOG_FLUSH_INTERVAL_MS } from '../../src/observability/log-destination';

const DESTINATION = join(__dirname, '../../dist/src/observability/log-destination.js');

/** Runs `body` in a fresh node whose `log` writes through stdoutLogDestination(bufferKb). */
function runChild(
  bufferKb: number,
  body: string,
): Promise<{ lines: Array<{ at: number; line: string }>; code: number | null; endedAt: number }> {
  const script = `
    const pino = require('pino');
    const { stdoutLogDestination } = require(${JSON.stringify(DESTINATION)});
    const log = pino({ level: 'info' }, stdoutLogDestination(${bufferKb}));
    ${body}`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<{ at: number; line: string }> = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    for (const line of parts) lines.push({ at: Date.now(), line });
  });
  return new Promise((resolve) =>
    child.once('close', (code) => resolve({ lines, code, endedAt: Date.now() })),
  );
}

const messages = (lines: Array<{ line: string }>) =>
  lines.map(({ line }) => (JSON.parse(line) as { msg: string }).msg);

/**
 * The service's log destination (main.ts): stdout, a few KB per write. What must hold is that
 * buffering loses nothing a process lives to flush, and that a quiet process's lines do not wait.
 */
describe('stdout log destination', () => {
  it('writes a lone line within the flush interval, without waiting for the buffer to fill', async () => {
    const { lines, endedAt } = await runChild(8, `log.info('alone'); setTimeout(() => {}, 1500);`);
    expect(messages(lines)).toEqual(['alone']);
    // Arrived long before the child ended (1.5 s after writing it).
    expect(lines[0].at).toBeLessThan(endedAt - 1500 + 10 * LOG_FLUSH_INTERVAL_MS);
  });

  it('flushes every buffered line on process.exit', async () => {
    const { lines, code } = await runChild(
      8,
      `for (let i = 0; i < 5000; i++) log.info('line ' + i); process.exit(3);`,
    );
    expect(code).toBe(3);
    expect(messages(lines)).toEqual(Array.from({ length: 5000 }, (_, i) => `line ${i}`));
  });

  it('flushes every buffered line when an uncaught exception ends the process', async () => {
    const { lines, code } = await runChild(
      64,
      `for (let i = 0; i < 300; i++) log.info('line ' + i); setImmediate(() => { throw new Error('boom'); });`,
    );
    expect(code).toBe(1);
    expect(messages(lines)).toHaveLength(300);
  });

  it('writes each line at once with LOG_BUFFER_KB=0', async () => {
    const { lines } = await runChild(0, `log.info('one'); log.info('two'); process.exit(0);`);
    expect(messages(lines)).toEqual(['one', 'two']);
  });

  it('takes LOG_BUFFER_KB from the environment: 8 by default, 0 to 1024', () => {
    expect(loadConfig({}).logBufferKb).toBe(8);
    expect(loadConfig({ LOG_BUFFER_KB: '0' }).logBufferKb).toBe(0);
    expect(() => loadConfig({ LOG_BUFFER_KB: '2048' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_BUFFER_KB: 'lots' })).toThrow(ConfigError);
  });
});
