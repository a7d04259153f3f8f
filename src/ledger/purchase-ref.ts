import type { Money } from './events';
import { LedgerInvariantError } from './errors';

/** Providers are identifiers (`stripe`, `manual`) without `-`, so a claim names exactly one provider and reference. */
const PROVIDER_PATTERN = /^[a-z][a-z0-9_]*$/;

/**
 * The ledger-wide value a purchase claims in the event store (AppendOptions.claim): at most one
 * account ever records a purchase of this provider and reference (LEDGER.md "deduplicated
 * forever"; docs/architecture.md "One payment, one purchase"). It is also the name of the claim's
 * stream on EventStoreDB and is spelled out in the migration that gave existing purchases their
 * claims on PostgreSQL (migrations/1732240500000_stream-claims.sql): never change it.
 */
export function purchaseRefClaim(provider: string, providerRef: string): string {
  if (!PROVIDER_PATTERN.test(provider))
    throw new LedgerInvariantError(
      `purchase provider ${JSON.stringify(provider)} is not an identifier`,
    );
  return `purchase-ref-${provider}-${providerRef}`;
}

/** What a repeat of a purchase must match to be the same purchase (packId and expiresAt are not compared). */
export interface PurchaseFigures {
  provider: string;
  credits: number;
  amountPaid: Money;
}

/**
 * Same provider, credits and money. The pack and the expiry are left out: a Stripe redelivery
 * computes expiresAt from its own arrival, and neither changes what was bought for what.
 */
export function sameFigures(a: PurchaseFigures, b: PurchaseFigures): boolean {
  return (
    a.provider === b.provider &&
    a.credits === b.credits &&
    a.amountPaid.minor === b.amountPaid.minor &&
    a.amountPaid.currency === b.amountPaid.currency
  );
}
