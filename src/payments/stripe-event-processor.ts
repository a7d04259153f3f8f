import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { LedgerRejectedError } from '../accounts/write-path/errors';
import type { CallerContext } from '../accounts/write-path/caller-context';
import type { WriteOutcome } from '../accounts/write-path/write-outcome';
import { PurchaseCredits, toAccountCommand } from '../accounts/commands';
import { ACCOUNT_ID_PATTERN } from '../ledger/limits';
import { RecordCheckoutEmail } from '../notifications/commands/preferences.commands';
import type { Rejection } from '../ledger/rejections';
import type { LedgerCommand } from '../ledger/commands';
import { Clock } from '../shared/clock';
import { findUnstorableText } from '../shared/storable-text';
import { grantedCredits, purchaseExpiresAt, type CreditPack } from './catalog/credit-pack';
import { packAt } from './catalog/catalog-state';
import { CreditPackCatalog } from './credit-pack-catalog';
import {
  idOf,
  isAmount,
  metadataOf,
  objectOf,
  type Charge,
  type CheckoutSession,
  type Dispute,
  type PurchaseMetadata,
  type Refund,
} from './event-shapes';
import type { StripeEvent } from './stripe-gateway';
import type { Settlement } from './stripe-event-log';
import {
  CheckoutSessionsRepository,
  type CheckoutSessionStatus,
} from './checkout-sessions.repository';
import {
  StripePaymentsRepository,
  reversalTarget,
  type PaymentRow,
} from './stripe-payments.repository';
import type { ReversalReason } from '../ledger/events';

/** The ledger's `provider` for purchases paid through Stripe. */
export const STRIPE_PROVIDER = 'stripe';

type Detail = Record<string, unknown>;

interface ReversalResult {
  /** Credits this attempt reversed (0: the target was already reached). */
  credits: number;
  shortfall: number;
  /** Credits this attempt gave back (a won dispute, a failed refund), and shortfall no longer owed. */
  reinstated: number;
  shortfallCancelled: number;
  totalCredits: number;
  reason: 'refund' | 'dispute';
  /** The ledger refused the reversal (an inconsistency for finance to review). */
  rejection?: Rejection;
}

/** The ledger's name of a dispute's reversal: one per dispute, undone at most once. */
export const disputeReversalId = (disputeId: string): string => `dispute:${disputeId}`;
/** The ledger's name of a failed refund's reinstatement. */
export const refundReversalId = (refundId: string): string => `refund:${refundId}`;

/**
 * The rules of each event type (docs/stripe.md "What each event does"). Runs only on events whose
 * signature was verified, and makes no call to Stripe: everything it needs is in the signed event,
 * the catalog (its own event stream), and our own tables.
 *
 * Every step is idempotent, so an event may be processed any number of times, also concurrently:
 * - a purchase is a PurchaseCredits with providerRef = PaymentIntent id, which the ledger records
 *   at most once in the whole ledger, ever (purchaseId/blockId derive from the event id, so a repeat
 *   of the same event is recognised as "credited by this event"); a PaymentIntent already credited
 *   to another account, or with other figures, is an anomaly, never a second credit;
 * - a refund or dispute moves the PaymentIntent's cumulative target (stripe_payments) and asks the
 *   ledger to reverse up to that total, which it does only for the difference.
 * A thrown error means nothing final was decided: the caller answers 5xx and Stripe retries.
 */
@Injectable()
export class StripeEventProcessor {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    private readonly commandBus: CommandBus,
    private readonly catalog: CreditPackCatalog,
    private readonly payments: StripePaymentsRepository,
    private readonly clock: Clock,
    private readonly sessions: CheckoutSessionsRepository,
  ) {}

  async process(event: StripeEvent): Promise<Settlement> {
    // A NUL or an unpaired surrogate anywhere in a signed event: Stripe's API never sends them, so
    // the payload is not what it claims to be, and neither the ledger nor the audit row could hold
    // it as given. Nothing is credited or reversed; finance reviews it. Answered 200 like every
    // anomaly: a 5xx would have Stripe deliver it again for days, failing the same way each time.
    const unstorable = findUnstorableText(event);
    if (unstorable.paths.length > 0 || !unstorable.complete) {
      return this.anomaly(event, {
        reason: 'unstorable_text',
        fields: unstorable.paths,
        ...(!unstorable.complete && { tooLargeToCheck: true }),
      });
    }
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.withObject<CheckoutSession>(event, 'checkout.session', (session) =>
          this.purchase(event, session),
        );
      case 'checkout.session.async_payment_failed':
        return this.withObject<CheckoutSession>(event, 'checkout.session', (session) =>
          this.paymentFailed(event, session),
        );
      case 'checkout.session.expired':
        return this.withObject<CheckoutSession>(event, 'checkout.session', (session) =>
          this.sessionExpired(event, session),
        );
      case 'charge.refunded':
        return this.withObject<Charge>(event, 'charge', (charge) => this.refund(event, charge));
      case 'charge.dispute.created':
      case 'charge.dispute.funds_withdrawn':
        return this.withObject<Dispute>(event, 'dispute', (dispute) =>
          this.dispute(event, dispute),
        );
      case 'charge.dispute.closed':
      case 'charge.dispute.funds_reinstated':
        return this.withObject<Dispute>(event, 'dispute', (dispute) =>
          this.disputeEnded(event, dispute),
        );
      case 'charge.refund.updated':
        return this.withObject<Refund>(event, 'refund', (refund) =>
          this.refundUpdated(event, refund),
        );
      default:
        return { outcome: 'ignored', detail: { reason: 'event type not handled' } };
    }
  }

  private withObject<T>(
    event: StripeEvent,
    objectType: string,
    handle: (object: T) => Promise<Settlement>,
  ): Promise<Settlement> {
    const object = objectOf<T>(event, objectType);
    if (!object)
      return Promise.resolve(
        this.anomaly(event, { reason: 'malformed_event', expected: objectType }),
      );
    return handle(object);
  }

  // ── checkout.session.completed / async_payment_succeeded ────────────────────────────────────────

  private async purchase(event: StripeEvent, session: CheckoutSession): Promise<Settlement> {
    const metadata = metadataOf(session);
    const paymentIntentId = idOf(session.payment_intent);
    const detail: Detail = {
      sessionId: session.id,
      packId: metadata.packId ?? null,
      ...(metadata.catalogRevision !== undefined && { catalogRevision: metadata.catalogRevision }),
      paymentStatus: session.payment_status,
      amountTotal: session.amount_total,
      currency: session.currency,
    };
    const where = { accountId: metadata.accountId ?? null, paymentIntentId };
    if (metadata.accountId === undefined && metadata.packId === undefined) {
      // Not a session this service created (another integration on the same Stripe account).
      return {
        outcome: 'ignored',
        ...where,
        detail: { ...detail, reason: 'no credit-pack metadata' },
      };
    }
    const accountId = metadata.accountId;
    if (accountId === undefined || !ACCOUNT_ID_PATTERN.test(accountId)) {
      return this.anomaly(event, { ...detail, reason: 'invalid_account_id' }, where);
    }
    if (session.client_reference_id && session.client_reference_id !== accountId) {
      return this.anomaly(
        event,
        { ...detail, reason: 'account_mismatch', clientReferenceId: session.client_reference_id },
        where,
      );
    }
    // Visible to support whatever the ledger makes of it (an anomaly below is still a completed session).
    await this.recordSession(session, accountId, 'complete');
    // The customer's email is the account's contact while its profile has none (PRODUCT.md §5);
    // recorded before the purchase is credited, so that purchase's receipt has an address.
    const email = session.customer_details?.email;
    if (typeof email === 'string' && email.length > 0 && email.length <= 254)
      await this.commandBus.execute(new RecordCheckoutEmail(accountId, email));
    const sold = await this.packSold(metadata);
    if ('refused' in sold) return this.anomaly(event, { ...detail, ...sold.refused }, where);
    const pack = sold.pack;
    if (session.payment_status === 'unpaid') {
      // Delayed payment methods: checkout.session.async_payment_succeeded or _failed follows.
      this.logger.log(
        { eventId: event.id, accountId, sessionId: session.id },
        'checkout completed, payment not yet received',
      );
      return { outcome: 'awaiting_payment', ...where, detail };
    }
    if (session.payment_status !== 'paid')
      return this.anomaly(event, { ...detail, reason: 'not_paid' }, where);
    if (!paymentIntentId)
      return this.anomaly(event, { ...detail, reason: 'no_payment_intent' }, where);
    const paid = {
      minor: session.amount_total,
      currency: typeof session.currency === 'string' ? session.currency.toUpperCase() : null,
    };
    if (
      !isAmount(paid.minor) ||
      paid.minor !== pack.price.minor ||
      paid.currency !== pack.price.currency
    ) {
      return this.anomaly(
        event,
        { ...detail, reason: 'amount_mismatch', expected: pack.price, paid },
        where,
      );
    }
    return this.credit(event, session, {
      accountId,
      paymentIntentId,
      pack,
      amountMinor: paid.minor,
      detail,
    });
  }

  /**
   * The pack the session sold, as it was then: at the catalog revision the checkout recorded in the
   * signed metadata (the catalog keeps every version, retired packs included), so an edit made
   * after the checkout never changes what a payment credits. A session from before the catalog was
   * editable has no revision: its pack is the catalog's as it is (its seed, unless edited since).
   * The recorded credits must be that version's: metadata is ours, but only the catalog is trusted.
   */
  private async packSold(
    metadata: PurchaseMetadata,
  ): Promise<{ pack: CreditPack } | { refused: Detail }> {
    if (metadata.packId === undefined) return { refused: { reason: 'unknown_pack' } };
    const catalog = await this.catalog.current();
    if (metadata.catalogRevision === undefined) {
      const pack = catalog.packs.get(metadata.packId)?.pack;
      return pack ? { pack } : { refused: { reason: 'unknown_pack' } };
    }
    const revision = /^\d{1,9}$/.test(metadata.catalogRevision)
      ? Number(metadata.catalogRevision)
      : Number.NaN;
    if (Number.isNaN(revision) || revision > catalog.revision)
      return { refused: { reason: 'unknown_catalog_revision' } };
    const pack = packAt(catalog, metadata.packId, revision);
    if (!pack) return { refused: { reason: 'unknown_pack' } };
    const credits = String(grantedCredits(pack));
    if (metadata.credits !== credits)
      return {
        refused: {
          reason: 'recorded_credits_mismatch',
          expectedCredits: credits,
          recordedCredits: metadata.credits ?? null,
        },
      };
    return { pack };
  }

  private async credit(
    event: StripeEvent,
    session: CheckoutSession,
    purchase: {
      accountId: string;
      paymentIntentId: string;
      pack: CreditPack;
      amountMinor: number;
      detail: Detail;
    },
  ): Promise<Settlement> {
    const { accountId, paymentIntentId, pack, amountMinor } = purchase;
    const now = this.clock.now();
    const purchaseId = `purchase_${event.id}`;
    let outcome: WriteOutcome;
    try {
      outcome = await this.commandBus.execute(
        new PurchaseCredits(
          accountId,
          {
            kind: 'purchase',
            blockId: `block_${event.id}`,
            purchaseId,
            credits: grantedCredits(pack),
            amountPaid: { minor: amountMinor, currency: pack.price.currency },
            packId: pack.packId,
            provider: STRIPE_PROVIDER,
            providerRef: paymentIntentId,
            expiresAt: purchaseExpiresAt(pack, now),
          },
          stripeContext(event.id),
        ),
      );
    } catch (error) {
      if (!(error instanceof LedgerRejectedError)) throw error;
      // Retrying cannot help (the balance limit, a PaymentIntent credited elsewhere): answered 200 so
      // that Stripe stops, recorded for finance to resolve.
      const { rejection } = error;
      if (rejection.code === 'purchase_conflict') {
        const elsewhere = rejection.heldByAccountId !== undefined;
        return this.anomaly(
          event,
          {
            ...purchase.detail,
            reason: elsewhere
              ? 'payment_intent_credited_to_another_account'
              : 'payment_intent_credited_with_other_figures',
            ...(elsewhere
              ? { creditedAccountId: rejection.heldByAccountId }
              : { creditedPurchaseId: rejection.purchaseId }),
          },
          { accountId, paymentIntentId },
        );
      }
      return this.anomaly(
        event,
        { ...purchase.detail, reason: 'ledger_rejected', rejection },
        { accountId, paymentIntentId },
      );
    }
    const creditedHere =
      !outcome.duplicatePurchase || outcome.duplicatePurchase.purchaseId === purchaseId;
    const row = await this.payments.markCredited(
      paymentIntentId,
      {
        accountId,
        checkoutSessionId: session.id,
        packId: pack.packId,
        credits: grantedCredits(pack),
        amountMinor,
        currency: pack.price.currency,
      },
      now,
    );
    // A refund or dispute that arrived before this purchase was credited is applied now.
    const reversal = await this.reverse(row, event.id);
    const detail: Detail = {
      ...purchase.detail,
      credits: grantedCredits(pack),
      purchaseId: outcome.duplicatePurchase?.purchaseId ?? purchaseId,
      ...(reversal &&
        (reversal.credits > 0 || reversal.reinstated > 0 || reversal.rejection) && {
          pendingReversal: reversal,
        }),
    };
    if (reversal?.rejection)
      this.logger.error(
        { eventId: event.id, accountId, paymentIntentId, reversal },
        'pending reversal refused by the ledger',
      );
    if (creditedHere) {
      this.logger.log(
        {
          eventId: event.id,
          accountId,
          paymentIntentId,
          credits: grantedCredits(pack),
          packId: pack.packId,
        },
        'credits purchased',
      );
      return { outcome: 'credited', accountId, paymentIntentId, detail };
    }
    return {
      outcome: 'duplicate',
      accountId,
      paymentIntentId,
      detail: { ...detail, reason: 'PaymentIntent already credited' },
    };
  }

  // ── checkout.session.async_payment_failed ───────────────────────────────────────────────────────

  private async paymentFailed(event: StripeEvent, session: CheckoutSession): Promise<Settlement> {
    const { accountId = null, packId = null } = metadataOf(session);
    const paymentIntentId = idOf(session.payment_intent);
    if (accountId !== null && ACCOUNT_ID_PATTERN.test(accountId))
      await this.recordSession(session, accountId, 'failed');
    this.logger.warn(
      { eventId: event.id, accountId, paymentIntentId, sessionId: session.id, packId },
      'delayed payment failed: no credits',
    );
    return {
      outcome: 'payment_failed',
      accountId,
      paymentIntentId,
      detail: { sessionId: session.id, packId },
    };
  }

  // ── checkout.session.expired ────────────────────────────────────────────────────────────────────

  /** Abandoned or timed out: nothing for the ledger, a row for support to see. */
  private async sessionExpired(event: StripeEvent, session: CheckoutSession): Promise<Settlement> {
    const { accountId = null, packId = null } = metadataOf(session);
    const detail: Detail = { sessionId: session.id, packId };
    if (accountId === null && packId === null)
      return { outcome: 'ignored', detail: { ...detail, reason: 'no credit-pack metadata' } };
    if (accountId === null || !ACCOUNT_ID_PATTERN.test(accountId))
      return this.anomaly(event, { ...detail, reason: 'invalid_account_id' }, { accountId });
    await this.recordSession(session, accountId, 'expired');
    return {
      outcome: 'session_expired',
      accountId,
      paymentIntentId: idOf(session.payment_intent),
      detail,
    };
  }

  private async recordSession(
    session: CheckoutSession,
    accountId: string,
    status: CheckoutSessionStatus,
  ): Promise<void> {
    const { packId = null } = metadataOf(session);
    const createdAt =
      typeof session.created === 'number' ? new Date(session.created * 1000) : this.clock.now();
    await this.sessions.record(
      {
        sessionId: session.id,
        accountId,
        packId,
        amountMinor: isAmount(session.amount_total) ? session.amount_total : null,
        currency: typeof session.currency === 'string' ? session.currency : null,
        status,
        createdAt,
      },
      this.clock.now(),
    );
  }

  // ── charge.refunded / charge.dispute.created ────────────────────────────────────────────────────

  private async refund(event: StripeEvent, charge: Charge): Promise<Settlement> {
    const paymentIntentId = idOf(charge.payment_intent);
    const detail: Detail = {
      chargeId: charge.id,
      amount: charge.amount,
      amountRefunded: charge.amount_refunded,
      currency: charge.currency,
    };
    if (!paymentIntentId)
      return {
        outcome: 'ignored',
        detail: { ...detail, reason: 'charge without a PaymentIntent' },
      };
    if (!isAmount(charge.amount) || charge.amount === 0 || !isAmount(charge.amount_refunded)) {
      return this.anomaly(event, { ...detail, reason: 'malformed_charge' }, { paymentIntentId });
    }
    const row = await this.payments.recordRefund(
      paymentIntentId,
      {
        amountRefunded: charge.amount_refunded,
        chargeAmount: charge.amount,
        eventId: event.id,
      },
      this.clock.now(),
    );
    return this.settleReversal(event, row, detail);
  }

  private async dispute(event: StripeEvent, dispute: Dispute): Promise<Settlement> {
    const paymentIntentId = idOf(dispute.payment_intent);
    const detail: Detail = { ...disputeFacts(dispute), disputeReason: dispute.reason };
    if (!paymentIntentId)
      return {
        outcome: 'ignored',
        detail: { ...detail, reason: 'dispute without a PaymentIntent' },
      };
    const row = await this.payments.recordDispute(
      paymentIntentId,
      { disputeId: dispute.id, eventId: event.id },
      this.clock.now(),
    );
    this.logger.warn(
      { eventId: event.id, accountId: row.accountId, paymentIntentId, disputeId: dispute.id },
      'payment disputed: reversing the purchase',
    );
    return this.settleReversal(event, row, detail);
  }

  /**
   * charge.dispute.closed: `won` (or funds_reinstated) gives back what the dispute's reversal took,
   * in whatever order the two arrive; `lost` leaves the reversal as it is.
   */
  private async disputeEnded(event: StripeEvent, dispute: Dispute): Promise<Settlement> {
    const paymentIntentId = idOf(dispute.payment_intent);
    const detail: Detail = { ...disputeFacts(dispute), status: dispute.status };
    if (!paymentIntentId)
      return {
        outcome: 'ignored',
        detail: { ...detail, reason: 'dispute without a PaymentIntent' },
      };
    const won = event.type === 'charge.dispute.funds_reinstated' || dispute.status === 'won';
    if (!won) {
      // Lost (or closed as a warning): the reversal made when it opened stands; nothing further.
      const row = await this.payments.find(paymentIntentId);
      return {
        outcome: 'ignored',
        accountId: row?.accountId ?? null,
        paymentIntentId,
        detail: { ...detail, reason: 'dispute not won: its reversal stands' },
      };
    }
    const row = await this.payments.recordDisputeWon(paymentIntentId, dispute.id, this.clock.now());
    this.logger.log(
      { eventId: event.id, accountId: row.accountId, paymentIntentId, disputeId: dispute.id },
      'dispute won: reinstating its reversal',
    );
    return this.settleReversal(event, row, detail);
  }

  /** charge.refund.updated: a refund that failed or was canceled gives back what it took, once. */
  private async refundUpdated(event: StripeEvent, refund: Refund): Promise<Settlement> {
    const paymentIntentId = idOf(refund.payment_intent);
    const detail: Detail = {
      refundId: refund.id,
      chargeId: idOf(refund.charge),
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
    };
    if (!paymentIntentId)
      return {
        outcome: 'ignored',
        detail: { ...detail, reason: 'refund without a PaymentIntent' },
      };
    if (refund.status !== 'failed' && refund.status !== 'canceled') {
      // Succeeded or pending: charge.refunded already reversed it (or will); nothing twice.
      return {
        outcome: 'ignored',
        paymentIntentId,
        detail: { ...detail, reason: 'refund not failed or canceled' },
      };
    }
    if (!isAmount(refund.amount))
      return this.anomaly(event, { ...detail, reason: 'malformed_refund' }, { paymentIntentId });
    const row = await this.payments.recordRefundFailed(
      paymentIntentId,
      { refundId: refund.id, amountMinor: refund.amount },
      this.clock.now(),
    );
    this.logger.warn(
      { eventId: event.id, accountId: row.accountId, paymentIntentId, refundId: refund.id },
      'refund failed: reinstating its credits',
    );
    return this.settleReversal(event, row, detail);
  }

  private async settleReversal(
    event: StripeEvent,
    row: PaymentRow,
    detail: Detail,
  ): Promise<Settlement> {
    const where = { accountId: row.accountId, paymentIntentId: row.paymentIntentId };
    const reversal = await this.reverse(row, event.id);
    if (!reversal) {
      // Nothing credited for this PaymentIntent (yet): kept in stripe_payments, applied if it is.
      return {
        outcome: 'reversal_pending',
        ...where,
        detail: { ...detail, reason: 'no credited purchase for this PaymentIntent yet' },
      };
    }
    if (reversal.rejection)
      return this.anomaly(event, { ...detail, ...reversal, reason: 'reversal_rejected' }, where);
    if (reversal.reinstated > 0 || reversal.shortfallCancelled > 0) {
      this.logger.log({ eventId: event.id, ...where, ...reversal }, 'reversal reinstated');
      return { outcome: 'reinstated', ...where, detail: { ...detail, ...reversal } };
    }
    if (reversal.credits > 0) {
      this.logger.log({ eventId: event.id, ...where, ...reversal }, 'purchase reversed');
      if (reversal.shortfall > 0)
        this.logger.warn(
          { eventId: event.id, ...where, shortfall: reversal.shortfall },
          'reversal shortfall: credits were already spent',
        );
      return { outcome: 'reversed', ...where, detail: { ...detail, ...reversal } };
    }
    if (event.type !== 'charge.refunded') {
      // A dispute or a failed refund the ledger had already applied (or settled before its reversal).
      return {
        outcome: 'duplicate',
        ...where,
        detail: { ...detail, ...reversal, reason: 'already applied' },
      };
    }
    const reason =
      reversal.totalCredits === 0
        ? 'the refund is worth less than one credit'
        : 'already reversed up to this total';
    return {
      outcome: reversal.totalCredits === 0 ? 'ignored' : 'duplicate',
      ...where,
      detail: { ...detail, ...reversal, reason },
    };
  }

  /**
   * Brings the ledger to what the PaymentIntent's facts call for, each step idempotent in the ledger:
   * the dispute's named reversal, its reinstatement if it was won, the reinstatement of each failed
   * refund, then the cumulative refund target. Null when there is no credited purchase to reverse.
   * Run after every event of the payment, so the order in which Stripe delivers them does not matter.
   */
  private async reverse(row: PaymentRow, eventId: string): Promise<ReversalResult | null> {
    const target = reversalTarget(row);
    if (!target || row.accountId === null || row.credits === null) return null;
    const result: ReversalResult = {
      credits: 0,
      shortfall: 0,
      reinstated: 0,
      shortfallCancelled: 0,
      ...target,
    };
    const trigger = row.reversalEventId ?? eventId;
    const steps: Array<{ command: LedgerCommand; context: CallerContext }> = [];
    if (row.disputeId !== null) {
      const reversalId = disputeReversalId(row.disputeId);
      // Won already: the reinstatement undoes the reversal if it was made, or settles the dispute so
      // that it never is (a reversal then would only be undone again).
      if (row.disputeWon)
        steps.push({
          command: reinstate(row, reversalId, 'dispute'),
          context: causedBy(eventId, eventId),
        });
      else
        steps.push({
          command: {
            kind: 'reverse',
            providerRef: row.paymentIntentId,
            credits: row.credits,
            reason: 'dispute',
            reversalId,
          },
          context: causedBy(trigger, eventId),
        });
    }
    // While a dispute stands, it has the money a failed refund left with us: nothing comes back
    // until it is won (the ledger refuses it too when the dispute's reversal took credits).
    const disputeStands = row.disputeId !== null && !row.disputeWon;
    for (const refundId of disputeStands ? [] : Object.keys(row.failedRefundsMinor).sort()) {
      steps.push({
        command: {
          ...reinstate(row, refundReversalId(refundId), 'refund'),
          toTotalCredits: target.totalCredits,
        },
        context: causedBy(eventId, eventId),
      });
    }
    if (target.totalCredits > 0) {
      steps.push({
        command: {
          kind: 'reverse',
          providerRef: row.paymentIntentId,
          totalCredits: target.totalCredits,
          reason: target.reason,
        },
        context: causedBy(trigger, eventId),
      });
    }
    for (const step of steps) {
      let outcome: WriteOutcome;
      try {
        outcome = await this.commandBus.execute(
          toAccountCommand(row.accountId, step.command, step.context),
        );
      } catch (error) {
        // The ledger has no such purchase on that account although we recorded it as credited.
        if (error instanceof LedgerRejectedError) return { ...result, rejection: error.rejection };
        throw error;
      }
      for (const written of outcome.events) {
        if (written.type === 'PurchaseReversed') {
          result.credits += written.data.credits;
          result.shortfall += written.data.shortfall;
        } else if (written.type === 'ReversalUndone') {
          result.reinstated += written.data.credits;
          result.shortfallCancelled += written.data.shortfallCancelled;
        }
      }
    }
    return result;
  }

  private anomaly(
    event: StripeEvent,
    detail: Detail,
    where: { accountId?: string | null; paymentIntentId?: string | null } = {},
  ): Settlement {
    this.logger.error(
      { eventId: event.id, type: event.type, ...where, ...detail },
      'Stripe event anomaly: nothing credited, finance must review',
    );
    return { outcome: 'anomaly', ...where, detail };
  }
}

function reinstate(
  row: PaymentRow,
  reversalId: string,
  reason: ReversalReason,
): LedgerCommand & { kind: 'reinstate' } {
  return { kind: 'reinstate', providerRef: row.paymentIntentId, reversalId, reason };
}

/** Correlated by the event the reversal comes from; caused by the event being processed when they differ. */
function causedBy(trigger: string, eventId: string): CallerContext {
  return { ...stripeContext(trigger), ...(trigger !== eventId && { causationId: eventId }) };
}

/** Ledger writes caused by a Stripe event: actor stripe, correlated by the event id. */
function stripeContext(eventId: string): CallerContext {
  return { correlationId: eventId, actor: { kind: 'stripe', id: eventId } };
}

/** What every dispute event records for finance, opened or closed. */
function disputeFacts(dispute: Dispute): Detail {
  return {
    disputeId: dispute.id,
    chargeId: idOf(dispute.charge),
    amount: dispute.amount,
    currency: dispute.currency,
  };
}
