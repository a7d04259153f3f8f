import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { AnalyticsReadModel } from './analytics/analytics-read-model';
import { GetPurchasesHandler, GetUsageHandler } from './analytics/get-analytics.handlers';
import { ExportSlots } from './exports/export-slots';
import { GetCsvExportHandler } from './exports/get-export.handler';
import { AnalyticsController } from './http/analytics.controller';
import { ExportsController } from './http/exports.controller';
import { REPORTS_PROBLEMS } from './reports-problems';

/**
 * Reports for operators and finance (docs/reports.md): analytics from the `analytics` projection
 * (projections/analytics/) and CSV exports streamed from the `credit_transactions` read model.
 */
@Module({
  imports: [ProjectionsModule],
  controllers: [AnalyticsController, ExportsController],
  providers: [
    AnalyticsReadModel,
    GetUsageHandler,
    GetPurchasesHandler,
    ExportSlots,
    GetCsvExportHandler,
  ],
})
export class ReportsModule {
  constructor(problems: ProblemCatalog) {
    problems.register(REPORTS_PROBLEMS);
  }
}
