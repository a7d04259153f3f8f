import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { ReactorRegistry } from '../../projections/nest/reactor-registry';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { MergeController } from './merge/merge.controller';
import { MergeLeadHandler } from './merge/merge-lead';
import { PROGRAMS_PROBLEMS } from './programs-problems';
import { GetTransferHandler } from './transfers/get-transfer';
import { StartTransferHandler } from './transfers/start-transfer';
import { TransferProcess } from './transfers/transfer-process';
import { TransfersController } from './transfers/transfers.controller';
import { transfersReactor } from './transfers/transfers.reactor';
import { GiveWelcomeHandler } from './welcome/give-welcome';
import { WelcomeController } from './welcome/welcome.controller';

/**
 * Programs (PRODUCT.md §2, docs/programs.md): welcome and lead credits, transfers between accounts,
 * lead merge. Every write is a ledger command to one account, sent on the command bus into the
 * accounts' mailboxes; the second step of a transfer is also driven by a reactor on the global log
 * (registered here), so a transfer always ends, whatever crashes.
 */
@Module({
  imports: [ProjectionsModule],
  controllers: [WelcomeController, TransfersController, MergeController],
  providers: [
    GiveWelcomeHandler,
    StartTransferHandler,
    GetTransferHandler,
    MergeLeadHandler,
    TransferProcess,
  ],
})
export class ProgramsModule {
  constructor(problems: ProblemCatalog, reactors: ReactorRegistry, process: TransferProcess) {
    problems.register(PROGRAMS_PROBLEMS);
    reactors.register(transfersReactor(process));
  }
}
