import type { Projection, ProjectedEvent } from '../../../projections/projection';
import type { TransferProcess } from './transfer-process';

/** Its checkpoint's name in projection_checkpoints. */
export const TRANSFERS_REACTOR = 'transfer-process';

/**
 * The reactor that finishes every transfer (and merge), whatever happened to the request that
 * started it: it follows the global log with its own checkpoint and, for each TransferSent,
 * delivers it to the destination; for each TransferDeclined, returns the credits to the source.
 * Both steps are idempotent per transferId, so a batch applied again after a crash is harmless;
 * a step that fails (store unreachable, conflicts) fails the batch, which the projector retries
 * from the same checkpoint. Writes no table: its "effects" are commands to accounts.
 */
export function transfersReactor(process: TransferProcess): Projection {
  return {
    name: TRANSFERS_REACTOR,
    tables: [],
    description: 'transfers: delivers sent transfers, returns declined ones (a reactor)',
    affectedBy: ({ event }) => event.type === 'TransferSent' || event.type === 'TransferDeclined',
    async apply(_client, events) {
      // Steps of different transfers are independent; each account's mailbox orders its own.
      await Promise.all(events.map((projected) => step(process, projected)));
    },
  };
}

async function step(process: TransferProcess, { accountId, event }: ProjectedEvent): Promise<void> {
  if (event.type === 'TransferSent') await process.deliver(accountId, event.data);
  else if (event.type === 'TransferDeclined') await process.giveBack(event.data);
}
