import { Injectable } from '@nestjs/common';
import type { CreditPack } from './catalog/credit-pack';
import { StripeGateway } from './stripe-gateway';

/** What a Price charges; none of it can change in Stripe once the Price exists. */
interface PriceFacts {
  unitAmount: number | null;
  currency: string;
  recurring: boolean;
}

/**
 * Checks that a pack's Stripe Price charges exactly the pack's price, once a one-time payment. It
 * must: the webhook credits a payment only when it paid the pack's price, so a Price of another
 * amount would take the buyer's money and credit nothing (an anomaly for finance). Checked when an
 * admin saves the pack (a 400 naming stripePriceId) and again before the pack's first checkout in
 * each process (the pack may have been saved while Stripe was not configured).
 *
 * A Price's amount, currency and type never change in Stripe (a new price is a new Price), so what
 * one answered is kept for the life of the process; an archived Price is refused by Stripe itself
 * when the session is created.
 */
@Injectable()
export class StripePriceCheck {
  private readonly known = new Map<string, PriceFacts>();

  constructor(private readonly gateway: StripeGateway) {}

  /** Stripe can be asked (STRIPE_SECRET_KEY is set). */
  get canCheck(): boolean {
    return this.gateway.paymentsEnabled;
  }

  /**
   * What is wrong with the pack's Price, or null when it charges the pack's price (or the pack has
   * none). `forSaving`: an archived Price is refused too (it could not be sold).
   */
  async problem(pack: CreditPack, options: { forSaving: boolean }): Promise<string | null> {
    if (pack.stripePriceId === null) return null;
    const facts = await this.factsOf(pack.stripePriceId, options.forSaving);
    if (facts === 'missing') return 'is not a Price of this Stripe account';
    if (facts === 'archived') return 'is archived in Stripe';
    if (facts.recurring) return 'is a recurring Price; a pack needs a one-time Price';
    const wanted = `${pack.price.minor} ${pack.price.currency}`;
    const charged = `${facts.unitAmount ?? 'no fixed amount'} ${facts.currency.toUpperCase()}`;
    return facts.unitAmount === pack.price.minor &&
      facts.currency.toUpperCase() === pack.price.currency
      ? null
      : `charges ${charged}, not the pack's price ${wanted} (minor units)`;
  }

  private async factsOf(
    priceId: string,
    refuseArchived: boolean,
  ): Promise<PriceFacts | 'missing' | 'archived'> {
    const cached = this.known.get(priceId);
    if (cached && !refuseArchived) return cached;
    const price = await this.gateway.retrievePrice(priceId);
    if (!price) return 'missing';
    const facts: PriceFacts = {
      unitAmount: price.unit_amount,
      currency: price.currency,
      recurring: price.type === 'recurring',
    };
    this.known.set(priceId, facts);
    return refuseArchived && !price.active ? 'archived' : facts;
  }
}
