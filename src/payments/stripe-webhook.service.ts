import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../shared/clock';
import {
  StripeEventProcessingError,
  StripeNotConfiguredError,
  WebhookDeliveryInvalidError,
} from './errors';
import { StripeEventLog, isFinal } from './stripe-event-log';
import { StripeEventProcessor } from './stripe-event-processor';
import {
  StripeGateway,
  isSignatureError,
  signatureFailure,
  type StripeEvent,
} from './stripe-gateway';

export const SIGNATURE_HEADER = 'Stripe-Signature';

/**
 * One webhook delivery: verify, record, deduplicate, process, record the outcome.
 *
 * - The signature is checked by the SDK on the exact bytes received, with the configured timestamp
 *   tolerance against the service clock; anything else is a 400 and nothing is recorded.
 * - Every verified event gets a row in stripe_events (audit); a redelivery of an event whose outcome
 *   is final is answered 200 at once.
 * - An event still 'processing' (a concurrent delivery, or an attempt that died) or 'failed' is
 *   processed again: processing is idempotent, the ledger guarantees at most one purchase per
 *   PaymentIntent and reversals only move to a cumulative target.
 * - A failure is recorded and answered 5xx so that Stripe retries.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    private readonly gateway: StripeGateway,
    private readonly processor: StripeEventProcessor,
    private readonly log: StripeEventLog,
    private readonly clock: Clock,
  ) {}

  async receive(
    rawBody: Buffer | undefined,
    signature: string | string[] | undefined,
  ): Promise<void> {
    const event = this.verify(rawBody, signature);
    const receipt = await this.log.receive(
      {
        eventId: event.id,
        type: event.type,
        livemode: event.livemode === true,
        apiVersion: typeof event.api_version === 'string' ? event.api_version : null,
        createdAt: stripeCreatedAt(event.created, this.clock.now()),
      },
      this.clock.now(),
    );
    if (isFinal(receipt.outcome)) {
      this.logger.log(
        {
          eventId: event.id,
          type: event.type,
          outcome: receipt.outcome,
          attempts: receipt.attempts,
        },
        'Stripe event already processed',
      );
      return;
    }
    try {
      const settlement = await this.processor.process(event);
      await this.log.settle(event.id, settlement, this.clock.now());
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await this.log.fail(event.id, message, this.clock.now()).catch(() => undefined);
      throw new StripeEventProcessingError(event.id, event.type, error);
    }
  }

  private verify(
    rawBody: Buffer | undefined,
    signature: string | string[] | undefined,
  ): StripeEvent {
    if (!this.gateway.webhooksEnabled)
      throw new StripeNotConfiguredError('STRIPE_WEBHOOK_SECRET', 'The Stripe webhook');
    if (typeof signature !== 'string' || signature.trim() === '')
      throw invalidSignature('is missing');
    if (!rawBody || rawBody.length === 0) {
      throw new WebhookDeliveryInvalidError([
        { field: 'body', message: 'a Stripe event is required' },
      ]);
    }
    let event: StripeEvent;
    try {
      event = this.gateway.constructEvent(rawBody, signature, this.clock.now().getTime());
    } catch (error) {
      if (!isSignatureError(error)) throw error;
      const failure = signatureFailure(error);
      this.logger.warn({ failure }, 'Stripe webhook with an invalid signature refused');
      throw invalidSignature(
        {
          'too old': 'is older than the accepted tolerance',
          'in the future': 'is dated in the future, beyond the accepted tolerance',
          mismatch: 'does not match the payload',
        }[failure],
      );
    }
    if (
      !event ||
      typeof event.id !== 'string' ||
      typeof event.type !== 'string' ||
      typeof event.created !== 'number'
    ) {
      throw new WebhookDeliveryInvalidError([{ field: 'body', message: 'is not a Stripe event' }]);
    }
    return event;
  }
}

function invalidSignature(message: string): WebhookDeliveryInvalidError {
  return new WebhookDeliveryInvalidError(
    [{ field: SIGNATURE_HEADER, message }],
    `The ${SIGNATURE_HEADER} header ${message}`,
  );
}

/** The latest Unix time PostgreSQL's timestamptz and a JS Date both hold: 9999-12-31T23:59:59Z. */
const LATEST_UNIX_SECONDS = 253_402_300_799;

/**
 * `created` is bookkeeping (when Stripe made the event), never a decision input. A signed event
 * whose `created` is no real instant is recorded with the time it arrived instead, so it is still
 * processed: refusing it would be a 5xx Stripe retries for days, failing the same way each time.
 */
function stripeCreatedAt(createdUnixSeconds: number, receivedAt: Date): Date {
  const plausible =
    Number.isSafeInteger(createdUnixSeconds) &&
    createdUnixSeconds >= 0 &&
    createdUnixSeconds <= LATEST_UNIX_SECONDS;
  return plausible ? new Date(createdUnixSeconds * 1000) : receivedAt;
}
