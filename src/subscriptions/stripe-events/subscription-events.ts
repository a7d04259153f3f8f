import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CancelSubscription,
  ChangeSubscriptionPlan,
  PaySubscriptionPeriod,
} from '../../accounts/commands';
import type { AccountCommand } from '../../accounts/commands';
import type { CallerContext } from '../../accounts/write-path/caller-context';
import { LedgerRejectedError } from '../../accounts/write-path/errors';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import type { LedgerEvent } from '../../ledger/events';
import type { Settlement } from '../../payments/stripe-event-log';
import type { StripeEvent } from '../../payments/stripe-gateway';
import { StripeCustomersRepository } from '../../payments/stripe-customers.repository';
import { Clock } from '../../shared/clock';
import { termsOf, type Plan } from '../plans/plan';
import { PlanCatalog } from '../plans/plan-catalog';
import { planByStripePrice } from '../plans/plan-catalog-state';
import { SubscriptionsRepository } from '../subscriptions.repository';
import {
  idOf,
  invoiceSubscription,
  paidPeriod,
  stringMetadata,
  subscriptionFacts,
  type Invoice,
  type Subscription,
  type SubscriptionFacts,
} from './shapes';

type Detail = Record<string, unknown>;

/**
 * What Stripe Billing's events do (docs/subscriptions.md "Stripe events"). Processing makes no call
 * to Stripe: the signed event, the plan catalog and our own tables are enough, so the webhook is
 * answered fast. Every step is idempotent: the ledger decides grants from the account's stream
 * (once per period, upgrades by difference), so any delivery order or repetition ends the same.
 */
@Injectable()
export class SubscriptionEvents {
  private readonly logger = new Logger('StripeSubscriptions');

  constructor(
    private readonly commandBus: CommandBus,
    private readonly plans: PlanCatalog,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly customers: StripeCustomersRepository,
    private readonly clock: Clock,
  ) {}

  /** checkout.session.* of a subscription Checkout: the customer and the subscription are recorded. */
  async checkoutSession(event: StripeEvent): Promise<Settlement> {
    const session = event.data.object as {
      id?: unknown;
      client_reference_id?: unknown;
      metadata?: unknown;
      customer?: unknown;
      subscription?: unknown;
      status?: unknown;
    };
    const accountId = stringMetadata(session.metadata, 'accountId');
    const detail: Detail = {
      sessionId: session.id,
      planId: stringMetadata(session.metadata, 'planId'),
    };
    if (event.type !== 'checkout.session.completed')
      return {
        outcome: 'ignored',
        accountId,
        detail: { ...detail, reason: 'subscription checkout not completed' },
      };
    if (accountId === null || !ACCOUNT_ID_PATTERN.test(accountId))
      return this.anomaly(event, { ...detail, reason: 'invalid_account_id' });
    if (
      typeof session.client_reference_id === 'string' &&
      session.client_reference_id !== accountId
    )
      return this.anomaly(event, { ...detail, reason: 'account_mismatch' }, accountId);
    const customerId = idOf(session.customer);
    const subscriptionId = idOf(session.subscription);
    // The customer recorded at checkout matches later invoices whose metadata is missing.
    if (customerId) await this.customers.remember(accountId, customerId, this.clock.now());
    if (subscriptionId) {
      await this.subscriptions.record(
        {
          subscriptionId,
          accountId,
          customerId,
          planId: stringMetadata(session.metadata, 'planId'),
          status: 'active',
          currentPeriodEnd: null,
          cancelAtPeriodEnd: false,
        },
        createdAt(event),
        this.clock.now(),
      );
    }
    return { outcome: 'recorded', accountId, detail: { ...detail, customerId, subscriptionId } };
  }

  /** invoice.paid: the period's credits, once per period, to the account the invoice names. */
  async invoicePaid(event: StripeEvent): Promise<Settlement> {
    const invoice = event.data.object as Invoice;
    if (invoice?.object !== 'invoice')
      return this.anomaly(event, { reason: 'malformed_event', expected: 'invoice' });
    const facts = invoiceSubscription(invoice);
    const detail: Detail = {
      invoiceId: invoice.id,
      subscriptionId: facts.subscriptionId,
      billingReason: invoice.billing_reason,
    };
    if (!facts.subscriptionId)
      return { outcome: 'ignored', detail: { ...detail, reason: 'not a subscription invoice' } };
    const period = paidPeriod(invoice, facts.subscriptionId);
    if (!period)
      return {
        outcome: 'ignored',
        detail: { ...detail, reason: 'no period paid (prorations only)' },
      };
    const accountId = await this.accountOf(facts.accountId, facts.customerId);
    if (!accountId) return this.anomaly(event, { ...detail, reason: 'unknown_account' });
    const plan = await this.planOf(period.priceId, facts.planId);
    if (!plan)
      return this.anomaly(
        event,
        { ...detail, reason: 'unknown_plan', priceId: period.priceId, planId: facts.planId },
        accountId,
      );
    const periodStart = new Date(period.periodStartMs).toISOString();
    const periodEnd = new Date(period.periodEndMs).toISOString();
    const written = await this.send(
      event,
      new PaySubscriptionPeriod(
        accountId,
        {
          kind: 'paySubscriptionPeriod',
          subscriptionId: facts.subscriptionId,
          invoiceId: invoice.id,
          plan: termsOf(plan),
          periodStart,
          periodEnd,
          blockId: `subscription_${invoice.id}`,
          rolloverBlockId: `rollover_${invoice.id}`,
        },
        stripeContext(event.id),
      ),
      { ...detail, planId: plan.planId, periodStart, periodEnd },
      accountId,
    );
    if ('outcome' in written) return written;
    const paid = written.find(
      (ledgerEvent) =>
        ledgerEvent.type === 'SubscriptionStarted' || ledgerEvent.type === 'SubscriptionRenewed',
    );
    if (!paid) {
      return {
        outcome: 'duplicate',
        accountId,
        detail: {
          ...detail,
          planId: plan.planId,
          periodStart,
          reason: 'period already granted, or after the subscription ended',
        },
      };
    }
    this.logger.log(
      { eventId: event.id, accountId, ...detail, planId: plan.planId, data: paid.data },
      'subscription period granted',
    );
    return { outcome: 'granted', accountId, detail: { ...detail, ...paid.data } };
  }

  /** customer.subscription.updated: the subscription's state, and its plan for the ledger. */
  async subscriptionUpdated(event: StripeEvent): Promise<Settlement> {
    const known = await this.readSubscription(event);
    if ('outcome' in known) return known;
    const { facts, accountId } = known;
    const detail = factsDetail(facts);
    if (facts.periodStartMs === null || facts.periodEndMs === null)
      return { outcome: 'recorded', accountId, detail: { ...detail, reason: 'no current period' } };
    const plan = await this.planOf(facts.priceId, facts.planId);
    if (!plan) return this.anomaly(event, { ...detail, reason: 'unknown_plan' }, accountId);
    const written = await this.send(
      event,
      new ChangeSubscriptionPlan(
        accountId,
        {
          kind: 'changeSubscriptionPlan',
          subscriptionId: facts.subscriptionId,
          plan: termsOf(plan),
          periodStart: new Date(facts.periodStartMs).toISOString(),
          periodEnd: new Date(facts.periodEndMs).toISOString(),
          blockId: `upgrade_${event.id}`,
        },
        stripeContext(event.id),
      ),
      { ...detail, planId: plan.planId },
      accountId,
    );
    if ('outcome' in written) return written;
    const changed = written.find((ledgerEvent) => ledgerEvent.type === 'SubscriptionPlanChanged');
    if (changed?.type === 'SubscriptionPlanChanged' && changed.data.credits > 0)
      return { outcome: 'granted', accountId, detail: { ...detail, ...changed.data } };
    return {
      outcome: 'recorded',
      accountId,
      detail: { ...detail, planId: plan.planId, ...(changed && { change: changed.data }) },
    };
  }

  /** customer.subscription.deleted: no further periods; what was granted stays. */
  async subscriptionDeleted(event: StripeEvent): Promise<Settlement> {
    const known = await this.readSubscription(event);
    if ('outcome' in known) return known;
    const { facts, accountId } = known;
    const endedAt = new Date(facts.endedAtMs ?? createdAt(event).getTime()).toISOString();
    const written = await this.send(
      event,
      new CancelSubscription(
        accountId,
        { kind: 'cancelSubscription', subscriptionId: facts.subscriptionId, endedAt },
        stripeContext(event.id),
      ),
      factsDetail(facts),
      accountId,
    );
    if ('outcome' in written) return written;
    return { outcome: 'recorded', accountId, detail: { ...factsDetail(facts), endedAt } };
  }

  /** Reads a subscription event, finds its account and records the subscription's state. */
  private async readSubscription(
    event: StripeEvent,
  ): Promise<{ facts: SubscriptionFacts; accountId: string } | Settlement> {
    const subscription = event.data.object as Subscription;
    const facts = subscription?.object === 'subscription' ? subscriptionFacts(subscription) : null;
    if (!facts) return this.anomaly(event, { reason: 'malformed_event', expected: 'subscription' });
    const accountId = await this.accountOf(facts.accountId, facts.customerId);
    if (!accountId)
      return this.anomaly(event, { ...factsDetail(facts), reason: 'unknown_account' });
    const plan = await this.planOf(facts.priceId, facts.planId);
    await this.subscriptions.record(
      {
        subscriptionId: facts.subscriptionId,
        accountId,
        customerId: facts.customerId,
        planId: plan?.planId ?? null,
        status: facts.status,
        currentPeriodEnd: facts.periodEndMs === null ? null : new Date(facts.periodEndMs),
        cancelAtPeriodEnd: facts.cancelAtPeriodEnd,
      },
      createdAt(event),
      this.clock.now(),
    );
    return { facts, accountId };
  }

  /** Our metadata first (set at checkout), else the Stripe customer recorded at checkout. */
  private async accountOf(
    fromMetadata: string | null,
    customerId: string | null,
  ): Promise<string | null> {
    if (fromMetadata !== null) return ACCOUNT_ID_PATTERN.test(fromMetadata) ? fromMetadata : null;
    return customerId === null ? null : this.subscriptions.accountOfCustomer(customerId);
  }

  /**
   * The plan billed: the plan whose stripePriceId is the Price billed; else (a plan sold with inline
   * price data, whose Price Stripe created) the plan named in the subscription's metadata, if it has
   * no Stripe Price of its own.
   */
  private async planOf(priceId: string | null, planId: string | null): Promise<Plan | null> {
    const catalog = await this.plans.current();
    const byPrice = priceId === null ? null : planByStripePrice(catalog, priceId);
    if (byPrice) return byPrice;
    const named = planId === null ? undefined : catalog.plans.get(planId);
    return named && named.stripePriceId === null ? named : null;
  }

  /** Sends a ledger command; a refusal (the balance limit) is an anomaly for finance, answered 200. */
  private async send(
    event: StripeEvent,
    command: AccountCommand,
    detail: Detail,
    accountId: string,
  ): Promise<LedgerEvent[] | Settlement> {
    try {
      const outcome: WriteOutcome = await this.commandBus.execute(command);
      return outcome.events;
    } catch (error) {
      if (!(error instanceof LedgerRejectedError)) throw error;
      return this.anomaly(
        event,
        { ...detail, reason: 'ledger_rejected', rejection: error.rejection },
        accountId,
      );
    }
  }

  private anomaly(event: StripeEvent, detail: Detail, accountId: string | null = null): Settlement {
    this.logger.error(
      { eventId: event.id, type: event.type, accountId, ...detail },
      'Stripe subscription event anomaly: nothing granted, finance must review',
    );
    return { outcome: 'anomaly', accountId, detail };
  }
}

function factsDetail(facts: SubscriptionFacts): Detail {
  return {
    subscriptionId: facts.subscriptionId,
    status: facts.status,
    priceId: facts.priceId,
    cancelAtPeriodEnd: facts.cancelAtPeriodEnd,
  };
}

/** The latest Unix time PostgreSQL's timestamptz and a JS Date both hold. */
const LATEST_UNIX_SECONDS = 253_402_300_799;

/**
 * Stripe's `created`, which orders its reports of one subscription; a signed event whose `created`
 * is no real instant counts as the oldest (it never overwrites a newer report).
 */
function createdAt(event: StripeEvent): Date {
  const seconds = event.created;
  return Number.isSafeInteger(seconds) && seconds >= 0 && seconds <= LATEST_UNIX_SECONDS
    ? new Date(seconds * 1000)
    : new Date(0);
}

function stripeContext(eventId: string): CallerContext {
  return { correlationId: eventId, actor: { kind: 'stripe', id: eventId } };
}
