import Stripe from 'stripe';

/**
 * Webhook events in the documented shapes of Stripe's API (Event, Checkout Session, Charge,
 * Dispute), signed with the SDK's own test helper exactly as Stripe signs them.
 */

export const WEBHOOK_SECRET = 'whsec_test_credits_ledger_0123456789abcdef';
export const API_VERSION = '2026-10-28.endive';

let counter = 0;
/** Ids that look like Stripe's and are unique across a test run. */
export function stripeId(prefix: string): string {
  counter += 1;
  return `${prefix}_test${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 8)}`;
}

export interface StripeEventJson {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export function event(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number; previous?: Record<string, unknown> } = {},
): StripeEventJson {
  return {
    id: options.id ?? stripeId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: options.created ?? Math.floor(Date.parse('2026-03-01T11:59:00Z') / 1000),
    data: { object, ...(options.previous && { previous_attributes: options.previous }) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

export interface SessionOptions {
  accountId: string;
  packId: string;
  credits?: number;
  amountTotal: number;
  currency?: string;
  paymentIntent?: string | null;
  paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
  status?: 'complete' | 'open' | 'expired';
  sessionId?: string;
  customer?: string;
  clientReferenceId?: string | null;
  /** The session's metadata as this service set it at checkout (default: accountId, packId, credits). */
  metadata?: Record<string, string>;
}

/** A Checkout Session (object "checkout.session") as this service creates them, once completed. */
export function checkoutSession(options: SessionOptions): Record<string, unknown> {
  const id = options.sessionId ?? stripeId('cs');
  const credits =
    options.credits ??
    ({ basic: 100, standard: 275, pro: 600 } as Record<string, number>)[options.packId] ??
    1;
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: options.amountTotal,
    amount_total: options.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: null,
    client_reference_id:
      options.clientReferenceId === undefined ? options.accountId : options.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: 1772366000,
    currency: options.currency ?? 'usd',
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: options.customer ?? 'cus_test_customer',
    customer_creation: null,
    customer_details: {
      address: null,
      email: 'buyer@example.com',
      name: 'Buyer',
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
    customer_email: null,
    discounts: [],
    expires_at: 1772452400,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    metadata: options.metadata ?? {
      accountId: options.accountId,
      packId: options.packId,
      credits: String(credits),
    },
    mode: 'payment',
    payment_intent: options.paymentIntent === undefined ? stripeId('pi') : options.paymentIntent,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: options.paymentStatus ?? 'paid',
    phone_number_collection: { enabled: false },
    recovered_from: null,
    redirect_on_completion: 'never',
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: options.status ?? 'complete',
    submit_type: null,
    subscription: null,
    success_url: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'embedded_page',
    url: null,
    wallet_options: null,
  };
}

export interface ChargeOptions {
  paymentIntent: string;
  amount: number;
  amountRefunded: number;
  accountId?: string;
  packId?: string;
  chargeId?: string;
  currency?: string;
}

/** A Charge (object "charge") as sent with charge.refunded: amount_refunded is cumulative. */
export function charge(options: ChargeOptions): Record<string, unknown> {
  return {
    id: options.chargeId ?? `ch_for_${options.paymentIntent}`,
    object: 'charge',
    amount: options.amount,
    amount_captured: options.amount,
    amount_refunded: options.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: stripeId('txn'),
    billing_details: { address: null, email: 'buyer@example.com', name: 'Buyer', phone: null },
    calculated_statement_descriptor: 'CREDITS',
    captured: true,
    created: 1772366100,
    currency: options.currency ?? 'usd',
    customer: 'cus_test_customer',
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    // PaymentIntent metadata is copied to its Charge when the PaymentIntent is confirmed.
    metadata: options.accountId
      ? { accountId: options.accountId, packId: options.packId ?? 'basic', credits: '100' }
      : {},
    on_behalf_of: null,
    outcome: {
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    paid: true,
    payment_intent: options.paymentIntent,
    payment_method: stripeId('pm'),
    payment_method_details: {
      type: 'card',
      card: {
        brand: 'visa',
        last4: '4242',
        exp_month: 12,
        exp_year: 2030,
        funding: 'credit',
        country: 'US',
      },
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: 'https://pay.stripe.com/receipts/test',
    refunded: options.amountRefunded === options.amount,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

/** A Dispute (object "dispute") as sent with charge.dispute.created. */
export function dispute(options: {
  paymentIntent: string;
  amount: number;
  currency?: string;
  id?: string;
  status?: string;
}): Record<string, unknown> {
  return {
    id: options.id ?? stripeId('dp'),
    object: 'dispute',
    amount: options.amount,
    balance_transactions: [],
    charge: `ch_for_${options.paymentIntent}`,
    created: 1772366200,
    currency: options.currency ?? 'usd',
    enhanced_eligibility_types: [],
    evidence: {
      access_activity_log: null,
      billing_address: null,
      customer_email_address: null,
      product_description: null,
      uncategorized_text: null,
    },
    evidence_details: {
      due_by: 1773000000,
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: options.paymentIntent,
    reason: 'fraudulent',
    status: options.status ?? 'needs_response',
  };
}

/** A Refund (object "refund") as sent with charge.refund.updated. */
export function refund(options: {
  paymentIntent: string;
  amount: number;
  status: string;
  id?: string;
  currency?: string;
}): Record<string, unknown> {
  return {
    id: options.id ?? stripeId('re'),
    object: 'refund',
    amount: options.amount,
    balance_transaction: stripeId('txn'),
    charge: `ch_for_${options.paymentIntent}`,
    created: 1772366300,
    currency: options.currency ?? 'usd',
    destination_details: {
      type: 'card',
      card: {
        reference_status: 'pending',
        reference_type: 'acquirer_reference_number',
        type: 'refund',
      },
    },
    failure_balance_transaction: options.status === 'failed' ? stripeId('txn') : null,
    failure_reason: options.status === 'failed' ? 'expired_or_canceled_card' : null,
    metadata: {},
    payment_intent: options.paymentIntent,
    reason: 'requested_by_customer',
    receipt_number: null,
    source_transfer_reversal: null,
    status: options.status,
    transfer_reversal: null,
  };
}

/** The Stripe-Signature header for a payload, from the SDK's own helper. */
export function sign(payload: string, options: { timestamp: number; secret?: string }): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp,
  });
}
