import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AuthenticatedRoute } from '../../http/route-docs';
import { GetCsvExport, type CsvDownload } from '../exports/get-export.query';
import { PeriodQuery, TransactionsExportQuery } from './dto';

const CSV = 'text/csv; charset=utf-8';
const CSV_DESCRIPTION =
  "RFC 4180, CRLF, a header row; instants ISO-8601 UTC; amounts integers; a text cell starting with = + - @ tab or CR is prefixed with ' (docs/reports.md)";

/**
 * CSV exports, streamed from the database as the client reads (docs/reports.md "Exports"). The
 * body is a stream: a failure after the first bytes cuts the download short (the client sees an
 * incomplete transfer), it cannot become a problem document any more.
 */
@ApiTags('reports')
@AuthenticatedRoute()
@Controller('v1/reports')
export class ExportsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('transactions.csv')
  @RequireScope('finance')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Every history row of a period (optionally one account), oldest first, as CSV',
    description: `Scope finance or admin. ${CSV_DESCRIPTION}`,
  })
  @ApiResponse({ status: 200, description: 'The CSV, streamed', content: { 'text/csv': {} } })
  @ApiResponse({ status: 503, description: 'unavailable: too many exports running (Retry-After)' })
  async transactions(@Query() query: TransactionsExportQuery): Promise<StreamableFile> {
    return download(
      await this.queryBus.execute(
        new GetCsvExport('transactions', {
          from: query.from,
          to: query.to,
          accountId: query.accountId,
        }),
      ),
    );
  }

  @Get('purchases.csv')
  @RequireScope('finance')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Every purchase of a period, oldest first, as CSV',
    description: `Scope finance or admin. ${CSV_DESCRIPTION}`,
  })
  @ApiResponse({ status: 200, description: 'The CSV, streamed', content: { 'text/csv': {} } })
  @ApiResponse({ status: 503, description: 'unavailable: too many exports running (Retry-After)' })
  async purchases(@Query() query: PeriodQuery): Promise<StreamableFile> {
    return download(
      await this.queryBus.execute(
        new GetCsvExport('purchases', { from: query.from, to: query.to }),
      ),
    );
  }
}

function download({ filename, stream }: CsvDownload): StreamableFile {
  return new StreamableFile(stream, {
    type: CSV,
    disposition: `attachment; filename="${filename}"`,
  });
}
