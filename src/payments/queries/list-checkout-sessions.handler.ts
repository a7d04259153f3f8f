import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CheckoutSessionsRepository } from '../checkout-sessions.repository';
import { ListCheckoutSessions, type CheckoutSessionsPage } from './list-checkout-sessions.query';

/** Sessions listed per account, newest first: enough for support, so no pagination (at most 100). */
export const CHECKOUT_SESSIONS_LISTED = 100;

@QueryHandler(ListCheckoutSessions)
export class ListCheckoutSessionsHandler implements IQueryHandler<
  ListCheckoutSessions,
  CheckoutSessionsPage
> {
  constructor(private readonly sessions: CheckoutSessionsRepository) {}

  async execute({ accountId }: ListCheckoutSessions): Promise<CheckoutSessionsPage> {
    const rows = await this.sessions.listForAccount(accountId, CHECKOUT_SESSIONS_LISTED);
    return { data: rows.map(({ accountId: _accountId, ...row }) => row) };
  }
}
