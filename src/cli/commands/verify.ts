import {
  formatDisagreement,
  listLedgerAccounts,
  verifyReadModels,
} from '../../../projections/ops/verify';
import { formatCount } from '../../../projections/ops/progress-line';
import { UsageError, type CliCommand } from '../cli-command';

/**
 * `ledger verify`: fold every account stream with the domain and compare the read models with it
 * (projections/ops/verify.ts). Prints each disagreement; exit code 1 when there is any.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary:
    'Fold every stream and compare balances, blocks and history with the read models; exit 1 on any difference',
  usage: 'verify',
  async run(args, context) {
    if (args.length > 0) throw new UsageError(`unexpected argument ${args[0]}`);
    const database = await context.database();
    const eventStore = await context.eventStore();
    const listAccounts = listLedgerAccounts(context.config.eventStore, database.pool, eventStore);
    const started = performance.now();
    const report = await verifyReadModels({
      pool: database.pool,
      eventStore,
      listAccounts,
      onDisagreement: (disagreement) =>
        void context.stdout.write(`${formatDisagreement(disagreement)}\n`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const differences = report.disagreements.length;
    context.stdout.write(
      `verify: ${formatCount(report.accounts)} accounts, ${formatCount(report.events)} events checked in ${seconds} s: ` +
        `${differences === 0 ? 'no differences' : `${formatCount(differences)} difference${differences === 1 ? '' : 's'}`}\n`,
    );
    return differences === 0 ? 0 : 1;
  },
};
