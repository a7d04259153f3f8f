import { Command } from '@nestjs/cqrs';

/** One webhook delivery, as received: verified, recorded, processed (StripeWebhookService). */
export class ReceiveStripeEvent extends Command<void> {
  constructor(
    /** The exact bytes received: the signature is checked on them. */
    readonly rawBody: Buffer | undefined,
    readonly signature: string | string[] | undefined,
  ) {
    super();
  }
}
