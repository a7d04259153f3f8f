import { Command } from '@nestjs/cqrs';
import type { CheckoutSessionRequest, CheckoutSessionResponse } from '../dto';

/** Start a Stripe Checkout for a catalog pack. Credits nothing: only the signed webhook does. */
export class CreateCheckoutSession extends Command<CheckoutSessionResponse> {
  constructor(
    readonly request: CheckoutSessionRequest,
    /** The caller's Idempotency-Key, passed on to Stripe. */
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}
