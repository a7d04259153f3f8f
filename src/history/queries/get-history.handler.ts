import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProjectionWaiter } from '../../../projections/nest/projection-waiter';
import { HISTORY_PROJECTION } from '../../../projections/registry';
import {
  decodeCursor,
  InvalidCursorError,
  type HistoryPage,
  type HistoryQuery,
} from '../../../projections/read-models/transaction-history';
import { AppConfig } from '../../config/app-config';
import { HistoryNotCaughtUpError, InvalidHistoryQueryError } from '../errors';
import { HistoryReadModel } from '../history-read-model';
import { GetHistory } from './get-history.query';

/**
 * The history is projected, so eventually consistent (docs/consistency.md); `after` makes it read
 * the caller's own write, waiting at most CONSISTENCY_TIMEOUT_MS for the projection.
 */
@QueryHandler(GetHistory)
export class GetHistoryHandler implements IQueryHandler<GetHistory, HistoryPage> {
  constructor(
    private readonly readModel: HistoryReadModel,
    private readonly waiter: ProjectionWaiter,
    private readonly config: AppConfig,
  ) {}

  async execute({ history, after }: GetHistory): Promise<HistoryPage> {
    this.check(history, after);
    if (after !== undefined) await this.waitForPosition(after);
    return this.readModel.page(history);
  }

  /** Every refusal before any wait: a request that cannot succeed does not wait first. */
  private check(history: HistoryQuery, after: string | undefined): void {
    if (history.from && history.to && history.from.getTime() >= history.to.getTime())
      throw new InvalidHistoryQueryError('to', 'must be after from');
    if (after !== undefined && !this.waiter.isValidPosition(after))
      throw new InvalidHistoryQueryError(
        'after',
        'is not a position returned by a write of this service',
      );
    if (history.cursor !== undefined) {
      try {
        decodeCursor(history, history.cursor);
      } catch (error) {
        if (error instanceof InvalidCursorError)
          throw new InvalidHistoryQueryError('cursor', error.message);
        throw error;
      }
    }
  }

  private async waitForPosition(position: string): Promise<void> {
    const timeoutMs = this.config.consistencyTimeoutMs;
    const outcome = await this.waiter.waitFor(HISTORY_PROJECTION, position, timeoutMs);
    if (!outcome.reached)
      throw new HistoryNotCaughtUpError(position, outcome.checkpoint, timeoutMs);
  }
}
