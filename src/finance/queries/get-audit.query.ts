import { Query } from '@nestjs/cqrs';
import type { AuditReport } from '../../audit';

/** The audit `ledger audit <accountId> [--at]` prints, for one account (scope finance). */
export class GetAudit extends Query<AuditReport> {
  constructor(
    readonly accountId: string,
    readonly at?: Date,
  ) {
    super();
  }
}
