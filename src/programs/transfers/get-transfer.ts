import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProjectionWaiter } from '../../../projections/nest/projection-waiter';
import { TRANSFERS_PROJECTION } from '../../../projections/registry';
import { readTransfer, type TransferRow } from '../../../projections/transfers.projection';
import { AppConfig } from '../../config/app-config';
import { DATABASE, type Database } from '../../database/database';
import {
  InvalidProgramRequestError,
  TransferNotFoundError,
  TransfersNotCaughtUpError,
} from '../errors';

/** GET /v1/transfers/{transferId}: the `transfers` read model, after `?after=` if given. */
export class GetTransfer extends Query<TransferRow> {
  constructor(
    readonly transferId: string,
    readonly after: string | undefined,
  ) {
    super();
  }
}

/**
 * Projected, so eventually consistent like the history (docs/consistency.md): a client that wants
 * to see its own transfer passes the `position` of the POST's answer as `?after=`.
 */
@QueryHandler(GetTransfer)
export class GetTransferHandler implements IQueryHandler<GetTransfer, TransferRow> {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly waiter: ProjectionWaiter,
    private readonly config: AppConfig,
  ) {}

  async execute({ transferId, after }: GetTransfer): Promise<TransferRow> {
    if (after !== undefined) {
      if (!this.waiter.isValidPosition(after))
        throw new InvalidProgramRequestError(
          'after',
          'is not a position returned by a write of this service',
        );
      const timeoutMs = this.config.consistencyTimeoutMs;
      const outcome = await this.waiter.waitFor(TRANSFERS_PROJECTION, after, timeoutMs);
      if (!outcome.reached)
        throw new TransfersNotCaughtUpError(after, outcome.checkpoint, timeoutMs);
    }
    const row = await readTransfer(this.database.pool, transferId);
    if (!row) throw new TransferNotFoundError(transferId);
    return row;
  }
}
