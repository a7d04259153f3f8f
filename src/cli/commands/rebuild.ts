import { PROJECTIONS, projectionNamed } from '../../../projections/registry';
import { DEFAULT_REBUILD_BATCH_SIZE, rebuildProjections } from '../../../projections/ops/rebuild';
import { UsageError, type CliCommand } from '../cli-command';

/**
 * `ledger rebuild [projection] [--batch-size=N]`: truncate and replay one projection, or all of
 * them in turn. Safe while the service runs (see projections/ops/rebuild.ts).
 */
export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: `Empty a projection's read models and replay the whole log into them (${PROJECTIONS.map((p) => p.name).join(', ')}; default all)`,
  usage: 'rebuild [projection] [--batch-size=N]',
  async run(args, context) {
    let batchSize = DEFAULT_REBUILD_BATCH_SIZE;
    const names: string[] = [];
    for (const arg of args) {
      if (arg.startsWith('--batch-size=')) {
        batchSize = Number(arg.slice('--batch-size='.length));
        if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
          throw new UsageError('--batch-size must be an integer from 1 to 10000');
      } else if (arg.startsWith('-')) {
        throw new UsageError(`unknown option ${arg}`);
      } else {
        names.push(arg);
      }
    }
    if (names.length > 1) throw new UsageError('at most one projection');
    const projections =
      names.length === 0
        ? PROJECTIONS
        : names.map((name) => {
            const projection = projectionNamed(name);
            if (!projection)
              throw new UsageError(
                `unknown projection ${name}; known: ${PROJECTIONS.map((p) => p.name).join(', ')}`,
              );
            return projection;
          });
    const database = await context.database();
    const eventStore = await context.eventStore();
    const log = {
      log: () => undefined,
      warn: (message: string) => void context.stderr.write(`${message}\n`),
      error: (message: string) => void context.stderr.write(`${message}\n`),
    };
    // Projections have their own checkpoints and tables: replaying them side by side (one read of
    // the log for all) takes as long as the slowest one, not the sum. Several progress bars on one
    // line would garble each other, so with more than one projection progress is printed as plain lines.
    const interactive = context.interactive && projections.length === 1;
    await rebuildProjections(projections, {
      pool: database.pool,
      connectionString: database.connectionString,
      eventStore,
      batchSize,
      out: context.stdout,
      interactive,
      log,
    });
    return 0;
  },
};
