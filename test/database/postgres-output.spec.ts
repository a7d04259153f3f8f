import { PostgresOutput, quoteOutput, type DatabaseLog } from '../../src/database/database-log';

function recordingLog(): DatabaseLog & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** PostgreSQL's own output: in the service's log at a sensible level, its last lines kept for errors. */
describe('PostgresOutput', () => {
  it('logs each line at its severity; continuation lines follow the line they belong to', () => {
    const log = recordingLog();
    const output = new PostgresOutput(log);
    output.feed(
      '2026-03-01 12:00:00.000 UTC [10] LOG:  database system is ready to accept connections\n2026-03-01 12:00:01.000 UTC [11] WARN',
    );
    output.feed(
      'ING:  could not flush dirty data\n2026-03-01 12:00:02.000 UTC [12] HINT:  check the disk\n',
    );
    output.feed(
      '2026-03-01 12:00:03.000 UTC [13] ERROR:  duplicate key value violates unique constraint "events_pkey"\n',
    );
    output.feed('2026-03-01 12:00:04.000 UTC [14] FATAL:  the database system is starting up\n');
    output.feed(
      '2026-03-01 12:00:05.000 UTC [15] PANIC:  could not write to file "pg_wal/xlogtemp.15"\n',
    );
    expect(log.lines.map((line) => line.split(' ')[0])).toEqual([
      'debug',
      'warn',
      'warn',
      'debug',
      'debug',
      'error',
    ]);
    expect(log.lines[0]).toBe(
      'debug postgres: 2026-03-01 12:00:00.000 UTC [10] LOG:  database system is ready to accept connections',
    );
  });

  it('keeps the last lines, the unfinished one included, for an error message', () => {
    const output = new PostgresOutput(recordingLog());
    for (let line = 1; line <= 30; line += 1) output.feed(`line ${line}\n`);
    output.feed('FATAL:  lock file "postmaster.pid" already exists');
    const recent = output.recent();
    expect(recent).toHaveLength(21);
    expect(recent[0]).toBe('line 11');
    expect(recent.at(-1)).toBe('FATAL:  lock file "postmaster.pid" already exists');
    expect(quoteOutput(['FATAL:  x'])).toBe('\nPostgreSQL said:\n  FATAL:  x');
    expect(quoteOutput([])).toBe('');
  });
});
