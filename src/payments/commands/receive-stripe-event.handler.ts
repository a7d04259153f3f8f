import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StripeWebhookService } from '../stripe-webhook.service';
import { ReceiveStripeEvent } from './receive-stripe-event.command';

@CommandHandler(ReceiveStripeEvent)
export class ReceiveStripeEventHandler implements ICommandHandler<ReceiveStripeEvent, void> {
  constructor(private readonly webhooks: StripeWebhookService) {}

  execute({ rawBody, signature }: ReceiveStripeEvent): Promise<void> {
    return this.webhooks.receive(rawBody, signature);
  }
}
