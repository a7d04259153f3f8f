import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CheckoutService } from '../checkout.service';
import type { CheckoutSessionResponse } from '../dto';
import { CreateCheckoutSession } from './create-checkout-session.command';

@CommandHandler(CreateCheckoutSession)
export class CreateCheckoutSessionHandler implements ICommandHandler<
  CreateCheckoutSession,
  CheckoutSessionResponse
> {
  constructor(private readonly checkout: CheckoutService) {}

  execute({ request, idempotencyKey }: CreateCheckoutSession): Promise<CheckoutSessionResponse> {
    return this.checkout.createSession(request, idempotencyKey);
  }
}
