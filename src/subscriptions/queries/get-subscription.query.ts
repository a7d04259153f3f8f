import { Query } from '@nestjs/cqrs';

export interface SubscriptionAnswer {
  planId: string | null;
  status: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

/** The account's subscription as Stripe last reported it (404 when it never had one). */
export class GetSubscription extends Query<SubscriptionAnswer> {
  constructor(readonly accountId: string) {
    super();
  }
}
