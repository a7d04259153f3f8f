import { Body, Controller, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AccountRoute, AuthenticatedRoute, BodyRoute, LimitPerKey } from '../http/route-docs';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import type { AuthenticatedRequest } from '../http/auth/api-key.guard';
import { AcceptsCustomerToken } from '../http/auth/customer-access';
import { RequireScope } from '../http/auth/scopes.decorator';
import { LimitPerAccount } from '../http/rate-limits/limit-per-account';
import { callerContext } from '../http/request-context';
import { CreateCheckoutSession } from './commands/create-checkout-session.command';
import {
  CheckoutSessionRequest,
  CheckoutSessionResponse,
  CheckoutSessionsPageResponse,
} from './dto';
import {
  ListCheckoutSessions,
  type CheckoutSessionsPage,
} from './queries/list-checkout-sessions.query';
import { PaymentsEnabledGuard } from './stripe-enabled.guards';

@ApiTags('payments')
@AuthenticatedRoute()
@Controller('v1/checkout-sessions')
export class CheckoutSessionsController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Scope `spend`: the product backend that lets a user spend also lets them pay. Creating a session
   * credits nothing (only a signed webhook does), so it does not need the `grant` scope, which can
   * create credits out of thin air.
   */
  @Post()
  @RequireScope('spend')
  // The browser pays for its own account only: the body's accountId must be the token's.
  @AcceptsCustomerToken({ from: 'body', field: 'accountId' })
  // Above the limits: the last decorator applied (the highest) describes the 429.
  @ApiResponse({
    status: 429,
    description:
      'rate_limited: checkout sessions per account over RATE_LIMIT_CHECKOUTS_PER_MINUTE_PER_ACCOUNT, writes per API key ' +
      'over RATE_LIMIT_WRITES_PER_SECOND_PER_KEY, or too many failed authentications from this address; Retry-After and RateLimit-* headers',
  })
  @LimitPerKey()
  @LimitPerAccount('checkouts')
  // Below the per-account limit: guards run bottom-up, so a service without Stripe answers 503
  // without using up the account's allowance.
  @UseGuards(PaymentsEnabledGuard)
  @ApiOperation({
    summary: 'Start a Stripe Checkout for a catalog pack (embedded → clientSecret, hosted → url)',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Passed to Stripe: a repeat within 24 hours answers the same session',
  })
  @ApiCreatedResponse({ type: CheckoutSessionResponse })
  @BodyRoute()
  @ApiResponse({
    status: 400,
    description: 'validation_failed, errors[] naming each bad field (an unknown packId included)',
  })
  @ApiResponse({
    status: 409,
    description:
      'idempotency_key_reused: the Idempotency-Key was used with a different checkout request',
  })
  @ApiResponse({
    status: 503,
    description:
      'unavailable: STRIPE_SECRET_KEY is not configured, or Stripe did not answer (Retry-After)',
  })
  async create(
    @Body() body: CheckoutSessionRequest,
    @Req() request: AuthenticatedRequest,
  ): Promise<CheckoutSessionResponse> {
    const { idempotencyKey } = callerContext(request, 'checkout', body.accountId, body);
    return this.commandBus.execute(new CreateCheckoutSession(body, idempotencyKey));
  }
}

@ApiTags('payments')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class AccountCheckoutSessionsController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * Scope `read`, like the history: support sees the checkouts that went nowhere (expired,
   * failed) next to the completed ones. Never credits: those are in the ledger alone.
   */
  @Get('checkout-sessions')
  @RequireScope('read')
  @ApiOperation({
    summary:
      "The account's Stripe Checkout Sessions, newest first (status open|complete|expired|failed)",
  })
  @ApiOkResponse({ type: CheckoutSessionsPageResponse })
  list(@Param('accountId', AccountIdPipe) accountId: string): Promise<CheckoutSessionsPage> {
    return this.queryBus.execute(new ListCheckoutSessions(accountId));
  }
}
