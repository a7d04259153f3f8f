import { Query } from '@nestjs/cqrs';
import type { CheckoutSessionRecord } from '../checkout-sessions.repository';

export interface CheckoutSessionsPage {
  data: Array<Omit<CheckoutSessionRecord, 'accountId'>>;
}

/** The account's Checkout Sessions, newest first: what support needs next to the ledger. */
export class ListCheckoutSessions extends Query<CheckoutSessionsPage> {
  constructor(readonly accountId: string) {
    super();
  }
}
