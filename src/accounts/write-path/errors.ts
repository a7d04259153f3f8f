import type { Rejection } from '../../ledger/rejections';

/** The ledger refused the command; nothing was written. */
export class LedgerRejectedError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`rejected: ${rejection.code}`);
    this.name = 'LedgerRejectedError';
  }
}

/** Every attempt lost the optimistic-concurrency race to another writer. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly accountId: string,
    readonly attempts: number,
  ) {
    super(`account ${accountId}: still conflicting after ${attempts} attempts`);
    this.name = 'ConcurrencyConflictError';
  }
}

/** The account's mailbox already holds `limit` commands and reads waiting; nothing was queued. */
export class QueueFullError extends Error {
  constructor(
    readonly accountId: string,
    readonly limit: number,
  ) {
    super(`more than ${limit} commands are waiting for ${accountId}`);
    this.name = 'QueueFullError';
  }
}
