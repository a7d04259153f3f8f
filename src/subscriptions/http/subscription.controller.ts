import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AccountRoute } from '../../http/route-docs';
import { AccountIdPipe } from '../../http/validation/path-id.pipes';
import { GetSubscription, type SubscriptionAnswer } from '../queries/get-subscription.query';

@ApiTags('subscriptions')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class SubscriptionController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('subscription')
  @RequireScope('read')
  @ApiOperation({
    summary: "The account's subscription: { planId, status, currentPeriodEnd, cancelAtPeriodEnd }",
    description:
      "As Stripe last reported it (status is Stripe's: active, past_due, canceled, …). Credits are in the balance, as blocks with source subscription and rollover.",
  })
  @ApiOkResponse({ description: '{ planId, status, currentPeriodEnd, cancelAtPeriodEnd }' })
  @ApiResponse({ status: 404, description: 'not_found: the account never had a subscription' })
  get(@Param('accountId', AccountIdPipe) accountId: string): Promise<SubscriptionAnswer> {
    return this.queryBus.execute(new GetSubscription(accountId));
  }
}
