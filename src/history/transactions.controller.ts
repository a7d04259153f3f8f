import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HISTORY_PROJECTION } from '../../projections/registry';
import {
  decodeCursor,
  InvalidCursorError,
  queryHistory,
  type HistoryPage,
  type HistoryQuery,
} from '../../projections/read-models/transaction-history';
import { ProjectionWaiter } from '../../projections/nest/projection-waiter';
import { AppConfig } from '../config/app-config';
import { DATABASE, type Database } from '../database/database';
import { RequireScope } from '../http/auth/scopes.decorator';
import { AccountRoute } from '../http/route-docs';
import { HttpProblemException } from '../http/errors/http-problem.exception';
import { problem, validationProblem } from '../http/errors/problem';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import {
  DEFAULT_HISTORY_LIMIT,
  parseTypes,
  TransactionsPageResponse,
  TransactionsQuery,
} from './dto';

/** Seconds a client should wait before retrying a read whose `after` position was not reached. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * The account's history, from the `transactions` projection (eventually consistent; see
 * docs/consistency.md). Newest first, keyset-paginated on the stream revision.
 */
@ApiTags('history')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class TransactionsController {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly waiter: ProjectionWaiter,
    private readonly config: AppConfig,
  ) {}

  @Get('transactions')
  @RequireScope('read')
  @ApiOperation({
    summary:
      'Transaction history, newest first (projected; ?after=<position> waits for your own write)',
    description:
      "One row per ledger event. `credits` is the signed change of the balance, so each row's balanceAfter is the " +
      "previous row's balanceAfter + credits; reservations and releases move credits between available and reserved " +
      '(credits 0, see reservedChange). Pages stay stable while new rows arrive.',
  })
  @ApiOkResponse({ type: TransactionsPageResponse })
  @ApiResponse({
    status: 503,
    description:
      'The projection did not reach `after` in time (code unavailable, Retry-After header)',
  })
  async list(
    @Param('accountId', AccountIdPipe) accountId: string,
    @Query() query: TransactionsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HistoryPage> {
    const history = this.toHistoryQuery(accountId, query);
    if (query.after !== undefined) await this.waitForPosition(query.after, reply);
    return queryHistory(this.database.pool, history);
  }

  private toHistoryQuery(accountId: string, query: TransactionsQuery): HistoryQuery {
    const history: HistoryQuery = {
      accountId,
      limit: query.limit === undefined ? DEFAULT_HISTORY_LIMIT : Number(query.limit),
      cursor: query.cursor,
      types: parseTypes(query.type),
      from: query.from === undefined ? null : new Date(query.from),
      to: query.to === undefined ? null : new Date(query.to),
    };
    if (history.from && history.to && history.from.getTime() >= history.to.getTime()) {
      throw new HttpProblemException(
        validationProblem([{ field: 'to', message: 'must be after from' }]),
      );
    }
    if (query.after !== undefined && !this.waiter.isValidPosition(query.after)) {
      throw new HttpProblemException(
        validationProblem([
          { field: 'after', message: 'is not a position returned by a write of this service' },
        ]),
      );
    }
    if (history.cursor !== undefined) {
      try {
        decodeCursor(history, history.cursor);
      } catch (error) {
        if (error instanceof InvalidCursorError)
          throw new HttpProblemException(
            validationProblem([{ field: 'cursor', message: error.message }]),
          );
        throw error;
      }
    }
    return history;
  }

  private async waitForPosition(position: string, reply: FastifyReply): Promise<void> {
    const timeoutMs = this.config.consistencyTimeoutMs;
    const outcome = await this.waiter.waitFor(HISTORY_PROJECTION, position, timeoutMs);
    if (outcome.reached) return;
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    throw new HttpProblemException(
      problem(
        'unavailable',
        `The history has not caught up with position ${position} within ${timeoutMs} ms; retry later`,
        { position, projectedPosition: outcome.checkpoint },
      ),
    );
  }
}
