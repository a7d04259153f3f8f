import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SubscriptionNotFoundError } from '../errors';
import { SubscriptionsRepository } from '../subscriptions.repository';
import { GetSubscription, type SubscriptionAnswer } from './get-subscription.query';

@QueryHandler(GetSubscription)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscription, SubscriptionAnswer> {
  constructor(private readonly subscriptions: SubscriptionsRepository) {}

  async execute({ accountId }: GetSubscription): Promise<SubscriptionAnswer> {
    const row = await this.subscriptions.latest(accountId);
    if (!row) throw new SubscriptionNotFoundError(accountId);
    return {
      planId: row.planId,
      status: row.status,
      currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    };
  }
}
