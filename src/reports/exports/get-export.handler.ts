import { Inject, Logger } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DATABASE, type Database } from '../../database/database';
import { Clock } from '../../shared/clock';
import { ExportFailedError } from '../errors';
import { resolvePeriod } from '../period';
import { CsvExportStream } from './csv-export-stream';
import { purchasesReport, transactionsReport } from './csv-reports';
import { ExportSlots } from './export-slots';
import { GetCsvExport, type CsvDownload } from './get-export.query';

/**
 * Resolves the period (exact instants: exports are not rounded to days), takes an export slot
 * (or refuses at once) and hands back the stream; the slot is given back when the stream closes,
 * finished or not.
 */
@QueryHandler(GetCsvExport)
export class GetCsvExportHandler implements IQueryHandler<GetCsvExport, CsvDownload> {
  private readonly logger = new Logger('Exports');

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly slots: ExportSlots,
    private readonly clock: Clock,
  ) {}

  async execute({ report, request }: GetCsvExport): Promise<CsvDownload> {
    const { from, to } = resolvePeriod(request, this.clock.now());
    const giveBack = this.slots.take();
    const stream =
      report === 'transactions'
        ? new CsvExportStream(
            this.database.pool,
            transactionsReport(from, to, request.accountId),
            giveBack,
          )
        : new CsvExportStream(this.database.pool, purchasesReport(from, to), giveBack);
    const stamp = (instant: Date) =>
      instant.toISOString().replace(/[:.]/g, '').replace(/000Z$/, 'Z');
    const scope =
      request.accountId === undefined
        ? ''
        : `-${request.accountId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    // The first batch is read before the 200 goes out: a failure there is still a problem answer.
    await stream.open().catch((error: unknown) => {
      this.logger.warn({ err: error, report }, 'export failed before its first row');
      throw new ExportFailedError(error);
    });
    return { filename: `${report}${scope}-${stamp(from)}--${stamp(to)}.csv`, stream };
  }
}
