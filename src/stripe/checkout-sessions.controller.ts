import { Body, Controller, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../http/auth/api-key.guard';
import { RequireScope } from '../http/auth/scopes.decorator';
import { callerContext } from '../http/request-context';
import { CheckoutService } from './checkout.service';
import { CheckoutSessionRequest, CheckoutSessionResponse } from './dto';
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
