import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { auditAccount, type AuditReport } from '../../audit';
import { AppConfig } from '../../config/app-config';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { Clock } from '../../shared/clock';
import { AccountNotFoundError } from '../errors';
import { GetAudit } from './get-audit.query';

/**
 * src/audit's `auditAccount`, the code `ledger audit` runs, with the ledger options of this
 * service and a bound on the stream (StreamTooLongError past AUDIT_HTTP_MAX_EVENTS).
 */
@QueryHandler(GetAudit)
export class GetAuditHandler implements IQueryHandler<GetAudit, AuditReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ accountId, at }: GetAudit): Promise<AuditReport> {
    const report = await auditAccount(this.eventStore, accountId, {
      at,
      now: this.clock.now(),
      ledgerOptions: {
        idempotencyRetentionMs: this.config.idempotencyRetentionMs,
        recentSpendsKept: this.config.recentSpendsPerAccount,
      },
      maxEvents: this.config.auditHttpMaxEvents,
    });
    if (!report) throw new AccountNotFoundError(accountId);
    return report;
  }
}
