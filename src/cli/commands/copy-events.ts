import { createEventStoreDbEventStore } from '../../event-store/eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store';
import { UsageError, type CliCommand } from '../cli-command';
import { copyLedgerStreams } from './copy-ledger-streams';

const DEFAULT_BATCH = 500;
const MAX_BATCH = 1000;

/**
 * `ledger copy-events --to <esdb connection string>`: moves a PostgreSQL-stored ledger to
 * EventStoreDB/KurrentDB (docs/eventstoredb.md "Moving an existing ledger"). Safe to rerun.
 */
export const copyEventsCommand: CliCommand = {
  name: 'copy-events',
  summary:
    'Copy every account stream, the rate card and the pack catalog from PostgreSQL to EventStoreDB/KurrentDB, in order, idempotently',
  usage: 'copy-events --to <esdb://…> [--batch <n>]',
  async run(args, context) {
    const options = parseArgs(args, context.config.eventStoreConnectionString);
    const database = await context.database();
    const source = new PostgresEventStore(database.pool);
    const target = createEventStoreDbEventStore(options.to);
    const started = performance.now();
    const rate = (events: number) =>
      Math.round(events / Math.max(0.001, (performance.now() - started) / 1000));
    try {
      await target.ping();
      const result = await copyLedgerStreams(source, target, {
        batchSize: options.batch,
        onProgress: ({ copied, skipped }) => {
          const line = `copied ${copied} · already there ${skipped} · ${rate(copied + skipped)} events/s`;
          context.stdout.write(context.interactive ? `\r${line}` : `${line}\n`);
        },
      });
      context.stdout.write(
        `${context.interactive ? '\n' : ''}copy-events: ${result.copied} copied, ${result.skipped} already in the target\n`,
      );
      if (result.unclaimed > 0) {
        context.stdout.write(
          `copy-events: ${result.unclaimed} purchase(s) reuse a reference an earlier purchase on another account holds (recorded before references were unique); copied as they are\n`,
        );
      }
      return 0;
    } finally {
      await target.close();
    }
  },
};

function parseArgs(args: string[], fallbackTarget: string | null): { to: string; batch: number } {
  let to = fallbackTarget;
  let batch = DEFAULT_BATCH;
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === '--to') to = value;
    else if (flag === '--batch') {
      batch = Number(value);
      if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_BATCH)
        throw new UsageError(`--batch must be 1–${MAX_BATCH}`);
    } else throw new UsageError(`unknown option ${flag}`);
  }
  if (!to)
    throw new UsageError(
      'name the target with --to esdb://host:2113?tls=false (or set EVENTSTORE_CONNECTION_STRING)',
    );
  return { to, batch };
}
