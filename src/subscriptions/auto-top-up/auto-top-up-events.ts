import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordAutoTopUp } from '../../accounts/commands';
import { LedgerRejectedError } from '../../accounts/write-path/errors';
import type { RecordAutoTopUpCommand } from '../../ledger/commands';
import { AppConfig } from '../../config/app-config';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import type { Settlement } from '../../payments/stripe-event-log';
import { StripeEventProcessor } from '../../payments/stripe-event-processor';
import type { StripeEvent } from '../../payments/stripe-gateway';
import { Clock } from '../../shared/clock';
import { idOf, stringMetadata, type PaymentIntent } from '../stripe-events/shapes';
import { AutoTopUpRepository } from './auto-top-up.repository';

/**
 * payment_intent.succeeded / payment_intent.payment_failed (docs/subscriptions.md "Auto top-up"):
 * an auto top-up's credits through the ordinary purchase path, its outcome counted and recorded in
 * the account's stream (AutoTopUpSucceeded / AutoTopUpFailed); a pack Checkout's PaymentIntent that
 * asked to be saved records its payment method. No call to Stripe.
 */
@Injectable()
export class AutoTopUpEvents {
  private readonly logger = new Logger('AutoTopUp');

  constructor(
    private readonly repository: AutoTopUpRepository,
    private readonly processor: StripeEventProcessor,
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async succeeded(event: StripeEvent): Promise<Settlement> {
    const read = this.read(event);
    if ('outcome' in read) return read;
    const { intent, accountId, attemptSeq } = read;
    const metadata = intent.metadata ?? {};
    if (metadata.autoTopUp !== 'true') return this.savePaymentMethod(intent, accountId);
    const settlement = await this.processor.creditPaymentIntent(event, {
      accountId,
      paymentIntentId: intent.id,
      metadata: {
        accountId,
        packId: stringMetadata(metadata, 'packId') ?? undefined,
        credits: stringMetadata(metadata, 'credits') ?? undefined,
        catalogRevision: stringMetadata(metadata, 'catalogRevision') ?? undefined,
      },
      amountMinor: intent.amount_received,
      currency: intent.currency,
      detail: { autoTopUp: true, attempt: attemptSeq },
    });
    if (settlement.outcome !== 'credited' && settlement.outcome !== 'duplicate') return settlement;
    await this.repository.settle(
      accountId,
      { paymentIntentId: intent.id, attemptSeq },
      true,
      this.config.autoTopUp.maxConsecutiveFailures,
    );
    const purchaseId = settlement.detail?.purchaseId;
    await this.record(event, accountId, {
      kind: 'recordAutoTopUp',
      paymentIntentId: intent.id,
      packId: String(metadata.packId),
      outcome: 'succeeded',
      credits: Number(settlement.detail?.credits ?? 0),
      purchaseId: typeof purchaseId === 'string' ? purchaseId : `purchase_${event.id}`,
    });
    return settlement;
  }

  async failed(event: StripeEvent): Promise<Settlement> {
    const read = this.read(event);
    if ('outcome' in read) return read;
    const { intent, accountId, attemptSeq } = read;
    if (intent.metadata?.autoTopUp !== 'true')
      return {
        outcome: 'ignored',
        accountId,
        paymentIntentId: intent.id,
        detail: { reason: 'not an auto top-up' },
      };
    const reason =
      intent.last_payment_error?.code ?? intent.last_payment_error?.type ?? 'payment_failed';
    const settled = await this.repository.settle(
      accountId,
      { paymentIntentId: intent.id, attemptSeq },
      false,
      this.config.autoTopUp.maxConsecutiveFailures,
    );
    const detail = {
      reason,
      consecutiveFailures: settled.consecutiveFailures,
      disabled: !settled.enabled,
    };
    if (!settled.wasInFlight)
      return {
        outcome: 'duplicate',
        accountId,
        paymentIntentId: intent.id,
        detail: { ...detail, note: 'attempt already settled' },
      };
    this.logger.warn(
      { eventId: event.id, accountId, paymentIntentId: intent.id, ...detail },
      'auto top-up failed',
    );
    await this.record(event, accountId, {
      kind: 'recordAutoTopUp',
      paymentIntentId: intent.id,
      packId: String(intent.metadata.packId),
      outcome: 'failed',
      reason,
      consecutiveFailures: settled.consecutiveFailures,
      disabled: !settled.enabled,
    });
    return { outcome: 'recorded', accountId, paymentIntentId: intent.id, detail };
  }

  private read(
    event: StripeEvent,
  ): { intent: PaymentIntent; accountId: string; attemptSeq: number | null } | Settlement {
    const intent = event.data.object as PaymentIntent;
    if (intent?.object !== 'payment_intent' || typeof intent.id !== 'string')
      return {
        outcome: 'anomaly',
        detail: { reason: 'malformed_event', expected: 'payment_intent' },
      };
    const accountId = stringMetadata(intent.metadata, 'accountId');
    if (accountId === null)
      return {
        outcome: 'ignored',
        paymentIntentId: intent.id,
        detail: { reason: 'no accountId metadata' },
      };
    if (!ACCOUNT_ID_PATTERN.test(accountId))
      return {
        outcome: 'anomaly',
        paymentIntentId: intent.id,
        detail: { reason: 'invalid_account_id' },
      };
    const attempt = stringMetadata(intent.metadata, 'attempt');
    const attemptSeq = attempt !== null && /^\d{1,9}$/.test(attempt) ? Number(attempt) : null;
    return { intent, accountId, attemptSeq };
  }

  /** A pack Checkout with saveForAutoTopUp: the method Stripe saved for off-session use. */
  private async savePaymentMethod(intent: PaymentIntent, accountId: string): Promise<Settlement> {
    const paymentMethodId = idOf(intent.payment_method);
    const customerId = idOf(intent.customer);
    const where = { accountId, paymentIntentId: intent.id };
    if (intent.metadata?.saveForAutoTopUp !== 'true' || intent.setup_future_usage !== 'off_session')
      return {
        outcome: 'ignored',
        ...where,
        detail: { reason: 'credited by its Checkout Session' },
      };
    if (!paymentMethodId || !customerId)
      return {
        outcome: 'anomaly',
        ...where,
        detail: { reason: 'no payment method or customer to save' },
      };
    await this.repository.savePaymentMethod(
      accountId,
      { customerId, paymentMethodId },
      this.clock.now(),
    );
    return { outcome: 'recorded', ...where, detail: { paymentMethodSaved: paymentMethodId } };
  }

  /** Once per PaymentIntent: the ledger's idempotency memory keeps the key (LEDGER.md: 7 days at least). */
  private async record(
    event: StripeEvent,
    accountId: string,
    command: RecordAutoTopUpCommand,
  ): Promise<void> {
    try {
      await this.commandBus.execute(
        new RecordAutoTopUp(accountId, command, {
          correlationId: event.id,
          actor: { kind: 'stripe', id: event.id },
          idempotencyKey: `auto-top-up:${command.paymentIntentId}`,
          requestHash: command.outcome,
        }),
      );
    } catch (error) {
      // Recorded already with the other outcome: the first one stands (a fact, not a credit).
      if (!(error instanceof LedgerRejectedError)) throw error;
      this.logger.warn(
        { eventId: event.id, accountId, rejection: error.rejection },
        'auto top-up outcome not recorded again',
      );
    }
  }
}
