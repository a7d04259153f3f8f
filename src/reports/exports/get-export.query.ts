import type { Readable } from 'node:stream';
import { Query } from '@nestjs/cqrs';

export interface CsvDownload {
  /** The file name offered to the browser: `transactions-2026-01-01--2026-02-01.csv`. */
  filename: string;
  /** The CSV, streamed from the database as the client reads it. */
  stream: Readable;
}

/** GET /v1/reports/transactions.csv and purchases.csv. */
export class GetCsvExport extends Query<CsvDownload> {
  constructor(
    readonly report: 'transactions' | 'purchases',
    readonly request: { from?: string; to?: string; accountId?: string },
  ) {
    super();
  }
}
