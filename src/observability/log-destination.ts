import pino, { type DestinationStream } from 'pino';

/** The longest a buffered line waits before it is written (an idle service's last lines included). */
export const LOG_FLUSH_INTERVAL_MS = 100;
/**
 * At most this much log waits in memory when stdout cannot keep up (a stalled pipe or collector);
 * past it lines are dropped rather than the heap growing without bound.
 */
const LOG_BUFFER_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Where a service process writes its JSON lines: stdout, one write per `bufferKb` of lines.
 *
 * One synchronous write(2) per line was ≈ 14 % of an api process's CPU per request at info
 * (docs/performance.md). Buffered, the writes leave the event loop (libuv's thread pool) and come
 * a few KB at a time. What a crash can take: lines of the last LOG_FLUSH_INTERVAL_MS at most on a
 * SIGKILL or an abort; on any exit Node sees (process.exit, an uncaught exception, a signal we
 * handle) pino flushes synchronously. Never a ledger write: logs are not the record.
 * `bufferKb` 0 writes each line at once, synchronously, as before.
 */
export function stdoutLogDestination(bufferKb: number): DestinationStream {
  if (bufferKb === 0) return pino.destination({ dest: 1, sync: true });
  const minLength = bufferKb * 1024;
  return pino.destination({
    dest: 1,
    sync: false,
    minLength,
    // A write may carry the whole buffer (sonic-boom refuses a minLength at or above maxWrite).
    maxWrite: Math.max(16 * 1024, 2 * minLength),
    maxLength: LOG_BUFFER_LIMIT_BYTES,
    periodicFlush: LOG_FLUSH_INTERVAL_MS,
  });
}
