import { Module } from '@nestjs/common';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { FINANCE_PROBLEMS } from './finance-problems';
import { AuditController } from './http/audit.controller';
import { VerifyController } from './http/verify.controller';
import { GetAuditHandler } from './queries/get-audit.handler';
import { VerifyLedgerHandler } from './queries/verify-ledger.handler';

/**
 * The finance checks of the CLI over HTTP, for the console (issue 18): `GET …/audit` runs
 * src/audit's auditAccount (`ledger audit`), `POST /v1/verify` projections/ops/verify.ts
 * (`ledger verify`), each bounded (limits.ts).
 */
@Module({
  controllers: [AuditController, VerifyController],
  providers: [GetAuditHandler, VerifyLedgerHandler],
})
export class FinanceModule {
  constructor(problems: ProblemCatalog) {
    problems.register(FINANCE_PROBLEMS);
  }
}
