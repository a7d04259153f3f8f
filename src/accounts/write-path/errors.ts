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
