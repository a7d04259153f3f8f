import {
  Controller,
  Headers,
  HttpCode,
  Post,
  Req,
  UseGuards,
  type RawBodyRequest,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BodyRoute } from '../http/route-docs';
import { Public } from '../http/auth/scopes.decorator';
import { WebhooksEnabledGuard } from './stripe-enabled.guards';
import { ReceiveStripeEvent } from './commands/receive-stripe-event.command';

const PROBLEM = { description: 'Problem details (application/problem+json)' };

@ApiTags('payments')
@Controller('v1/webhooks/stripe')
export class StripeWebhookController {
  constructor(private readonly commandBus: CommandBus) {}

  /** No API key: Stripe authenticates by signing the raw body (STRIPE_WEBHOOK_SECRET). */
  @Post()
  @Public()
  @UseGuards(WebhooksEnabledGuard)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Stripe webhook endpoint (checkout.session.completed, async_payment_succeeded/failed, charge.refunded, charge.dispute.created)',
    description:
      'Authenticated by the Stripe-Signature header. Other event types are acknowledged and ignored. See docs/stripe.md.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiOkResponse({
    schema: { type: 'object', properties: { received: { type: 'boolean', example: true } } },
  })
  @ApiResponse({ status: 400, ...PROBLEM })
  @BodyRoute()
  @ApiResponse({ status: 500, description: 'Processing failed; Stripe delivers the event again' })
  @ApiResponse({
    status: 503,
    description:
      'STRIPE_WEBHOOK_SECRET is not configured, or the event store is unavailable (Retry-After; Stripe delivers the event again)',
  })
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true }> {
    await this.commandBus.execute(new ReceiveStripeEvent(request.rawBody, signature));
    return { received: true };
  }
}
