import { Query } from '@nestjs/cqrs';

export interface VerifyDifference {
  accountId: string;
  /** The read model that differs: accounts, transactions, holds, analytics. */
  readModel: string;
  /** What differs: `balance`, `block b1 remaining`, `transactions revision 4 balanceAfter`, … */
  field: string;
  /** What the streams say. */
  expected: unknown;
  /** What the read model holds. */
  actual: unknown;
}

export interface VerifyAnswer {
  accounts: number;
  events: number;
  differences: VerifyDifference[];
  tookMs: number;
}

/** `ledger verify` over HTTP: one account, or every account when there are few enough. */
export class VerifyLedger extends Query<VerifyAnswer> {
  constructor(readonly accountId: string | null) {
    super();
  }
}
