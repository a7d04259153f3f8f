import { readFileSync } from 'node:fs';
import { ServiceProcess } from '../process/support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ROWS = 1_000_000;
const LIMIT_MB = 150;
const GROWTH_LIMIT_MB = 40;
const FINANCE_KEY = 'fin-memory-secret';

/** The process's resident set now and its high-water mark (Linux), in MB. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * A year of history exported in constant memory (docs/reports.md "Exports"): 1,000,000 history
 * rows streamed as CSV by the compiled service (`node dist/src/main.js`, as `npm start` runs it,
 * role api, heap capped at 64 MB) while the test reads as fast as it can; the service's resident
 * set, sampled every 20 ms and read from the kernel's high-water mark, stays under 150 MB, and
 * grows by less than 40 MB over the idle service's.
 */
describe('a 1,000,000-row CSV export', () => {
  let database: TestDatabase;
  let service: ServiceProcess | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One statement: a year of rows over 5,000 accounts (straight into the read model).
    await database.pool.query(
      `INSERT INTO credit_transactions (account_id, revision, event_id, type, credits, balance_after, available_after,
                                        reserved_after, reserved_change, description, reference, occurred_at, metadata, detail)
       SELECT 'mem-' || (n % 5000), n / 5000, gen_random_uuid(), 'spend', -(n % 97) - 1, 1000, 1000, 0, 0,
              'render job ' || n || ', "4k"', 'job-' || n, timestamptz '2025-01-01' + n * interval '31 seconds', '{}', '{}'
       FROM generate_series(1, ${ROWS}) AS n`,
    );
    await database.pool.query('ANALYZE credit_transactions');
  }, 600_000);

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it('streams every row while the service stays under 150 MB resident', async () => {
    service = await ServiceProcess.start({
      env: {
        DATABASE_URL: database.connectionString,
        ROLE: 'api',
        LOG_LEVEL: 'info', // the 'listening on' line the start waits for is at info
        LEDGER_API_KEYS: `fin:${FINANCE_KEY}:finance`,
        // A small heap: an export that buffered its rows (135 MB of CSV) could not even finish.
        NODE_OPTIONS: '--max-old-space-size=64 --max-semi-space-size=4',
      },
    });
    expect(service.listening).toBe(true);
    const pid = service.pid;
    const before = memoryOf(pid);
    let sampledPeakMb = before.rssMb;
    const sampler = setInterval(() => {
      try {
        sampledPeakMb = Math.max(sampledPeakMb, memoryOf(pid).rssMb);
      } catch {
        // the process is gone: the assertions below say so
      }
    }, 20);
    const started = Date.now();
    let bytes = 0;
    let lines = 0;
    try {
      const response = await fetch(
        `${service.baseUrl}/v1/reports/transactions.csv?from=2025-01-01&to=2026-01-01`,
        { headers: { authorization: `Bearer ${FINANCE_KEY}` } },
      );
      expect(response.status).toBe(200);
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 0x0a) lines++;
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    const after = memoryOf(pid);
    const report = {
      rows: lines - 1,
      megabytes: Math.round(bytes / 2 ** 20),
      seconds: Math.round(seconds * 10) / 10,
      rssBeforeMb: Math.round(before.rssMb),
      sampledPeakRssMb: Math.round(sampledPeakMb),
      kernelPeakRssMb: Math.round(after.peakMb),
    };
    console.log(`export memory: ${JSON.stringify(report)}`);
    expect(lines).toBe(ROWS + 1); // the header and every row (descriptions hold no line breaks)
    // Constant memory: the export adds little to what the idle service holds…
    expect(sampledPeakMb - before.rssMb).toBeLessThan(GROWTH_LIMIT_MB);
    // …and the whole process stays under the limit.
    expect(sampledPeakMb).toBeLessThan(LIMIT_MB);
    expect(after.peakMb).toBeLessThan(LIMIT_MB);
    expect(service.errors()).toEqual([]);
  }, 600_000);
});
