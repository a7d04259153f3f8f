import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listLedgerAccounts, verifyReadModels } from '../../../projections/ops/verify';
import { AppConfig } from '../../config/app-config';
import { DATABASE, type Database } from '../../database/database';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { VerifyBusyError, VerifyTooLargeError } from '../errors';
import { type VerifyAnswer, VerifyLedger } from './verify-ledger.query';

/**
 * projections/ops/verify.ts, the code `ledger verify` runs. One account: exactly that one (its
 * read-model rows, history and per-account analytics). None: every account, when listing them
 * finds at most VERIFY_HTTP_MAX_ACCOUNTS (the list stops one past it). One at a time per process.
 */
@QueryHandler(VerifyLedger)
export class VerifyLedgerHandler implements IQueryHandler<VerifyLedger, VerifyAnswer> {
  private running = false;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly config: AppConfig,
  ) {}

  async execute({ accountId }: VerifyLedger): Promise<VerifyAnswer> {
    if (this.running) throw new VerifyBusyError();
    this.running = true;
    try {
      return await this.verify(accountId);
    } finally {
      this.running = false;
    }
  }

  private async verify(accountId: string | null): Promise<VerifyAnswer> {
    const started = performance.now();
    let accountIds: string[];
    if (accountId === null) {
      const list = listLedgerAccounts(
        this.config.eventStore,
        this.database.pool,
        this.eventStore,
        this.config.verifyHttpMaxAccounts + 1,
      );
      accountIds = await list();
      if (accountIds.length > this.config.verifyHttpMaxAccounts)
        throw new VerifyTooLargeError(this.config.verifyHttpMaxAccounts);
    } else {
      accountIds = [accountId];
    }
    const report = await verifyReadModels({
      pool: this.database.pool,
      eventStore: this.eventStore,
      listAccounts: () => Promise.resolve(accountIds),
      onlyListed: accountId !== null,
    });
    return {
      accounts: report.accounts,
      events: report.events,
      differences: report.disagreements.map((disagreement) => ({
        accountId: disagreement.accountId,
        readModel: disagreement.projection,
        field: disagreement.what,
        expected: disagreement.streams,
        actual: disagreement.readModel,
      })),
      tookMs: Math.round(performance.now() - started),
    };
  }
}
