import { Inject, Injectable } from '@nestjs/common';
import {
  queryHistory,
  type HistoryPage,
  type HistoryQuery,
} from '../../projections/read-models/transaction-history';
import { DATABASE, type Database } from '../database/database';

/** The `credit_transactions` read model (projections/read-models/transaction-history.ts). */
@Injectable()
export class HistoryReadModel {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** One page, newest first. Throws InvalidCursorError. */
  page(query: HistoryQuery): Promise<HistoryPage> {
    return queryHistory(this.database.pool, query);
  }
}
