/** The account has no stream: nothing to audit. */
export class AccountNotFoundError extends Error {
  constructor(readonly accountId: string) {
    super(`account ${accountId} has no events`);
    this.name = 'AccountNotFoundError';
  }
}

/** More accounts than one HTTP verify may check. */
export class VerifyTooLargeError extends Error {
  constructor(readonly maxAccounts: number) {
    super(`more than ${maxAccounts} accounts to verify`);
    this.name = 'VerifyTooLargeError';
  }
}

/** One verify at a time per process: it reads every stream it checks. */
export class VerifyBusyError extends Error {
  constructor() {
    super('a verify is already running in this process');
    this.name = 'VerifyBusyError';
  }
}
