import { Body, Controller, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRoute } from '../http/accounts/swagger';
import { AccountIdPipe } from '../http/validation/path-id.pipes';
import { CheckoutSessionsRepository, type CheckoutSessionRecord } from './checkout-sessions.repository';
import type { AuthenticatedRequest } from '../http/auth/api-key.guard';
import { RequireScope } from '../http/auth/scopes.decorator';
import { callerContext } from '../http/request-context';
import { CheckoutService } from './checkout.service';
import { CheckoutSessionRequest, CheckoutSessionResponse, CheckoutSessionsPageResponse } from './dto';
import { PaymentsEnabledGuard } from './stripe-enabled.guards';

const PROBLEM = { description: 'Problem details (application/problem+json)' };

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/checkout-sessions')
export class CheckoutSessionsController {
  constructor(private readonly checkout: CheckoutService) {}

  /**
   * Scope `spend`: the product backend that lets a user spend also lets them pay. Creating a session
   * credits nothing (only a signed webhook does), so it does not need the `grant` scope, which can
   * create credits out of thin air.
   */
  @Post()
  @RequireScope('spend')
  @UseGuards(PaymentsEnabledGuard)
  @ApiOperation({ summary: 'Start a Stripe Checkout for a catalog pack (embedded → clientSecret, hosted → url)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Passed to Stripe: a repeat within 24 hours answers the same session' })
  @ApiCreatedResponse({ type: CheckoutSessionResponse })
  @ApiResponse({ status: 400, ...PROBLEM })
  @ApiResponse({ status: 401, ...PROBLEM })
  @ApiResponse({ status: 403, ...PROBLEM })
  @ApiResponse({ status: 503, description: 'STRIPE_SECRET_KEY is not configured, or Stripe did not answer' })
  async create(@Body() body: CheckoutSessionRequest, @Req() request: AuthenticatedRequest): Promise<CheckoutSessionResponse> {
    const { idempotencyKey } = callerContext(request, 'checkout', body.accountId, body);
    return this.checkout.createSession(body, idempotencyKey);
  }
}

/** Sessions listed per account, newest first: enough for support, so no pagination (at most 100). */
export const CHECKOUT_SESSIONS_LISTED = 100;

@ApiTags('payments')
@AccountRoute()
@Controller('v1/accounts/:accountId')
export class AccountCheckoutSessionsController {
  constructor(private readonly sessions: CheckoutSessionsRepository) {}

  /**
   * Scope `read`, like the history: support sees the checkouts that went nowhere (expired,
   * failed) next to the completed ones. Never credits: those are in the ledger alone.
   */
  @Get('checkout-sessions')
  @RequireScope('read')
  @ApiOperation({ summary: 'The account\'s Stripe Checkout Sessions, newest first (status open|complete|expired|failed)' })
  @ApiOkResponse({ type: CheckoutSessionsPageResponse })
  async list(@Param('accountId', AccountIdPipe) accountId: string): Promise<{ data: Array<Omit<CheckoutSessionRecord, 'accountId'>> }> {
    const rows = await this.sessions.listForAccount(accountId, CHECKOUT_SESSIONS_LISTED);
    return { data: rows.map(({ accountId: _accountId, ...row }) => row) };
  }
}
