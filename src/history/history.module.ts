import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { HISTORY_PROBLEMS } from './history-problems';
import { HistoryReadModel } from './history-read-model';
import { GetHistoryHandler } from './queries/get-history.handler';
import { TransactionsController } from './transactions.controller';

/** History: the account's transactions, read from the projected read model (GetHistory). */
@Module({
  imports: [ProjectionsModule],
  controllers: [TransactionsController],
  providers: [HistoryReadModel, GetHistoryHandler],
})
export class HistoryModule {
  constructor(problems: ProblemCatalog) {
    problems.register(HISTORY_PROBLEMS);
  }
}
