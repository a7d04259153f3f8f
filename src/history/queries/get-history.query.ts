import { Query } from '@nestjs/cqrs';
import type {
  HistoryPage,
  HistoryQuery,
} from '../../../projections/read-models/transaction-history';

/** A page of the account's history; with `after`, once the history includes that write. */
export class GetHistory extends Query<HistoryPage> {
  constructor(
    readonly history: HistoryQuery,
    /** A write's `position`: wait (bounded) until the projection has passed it. */
    readonly after?: string,
  ) {
    super();
  }
}
