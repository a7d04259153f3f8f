import type { StripeEmbeddedCheckout } from '@stripe/stripe-js';

/**
 * Stripe's embedded Checkout, loaded the way @stripe/stripe-js documents it: `loadStripe` from the
 * package's `pure` entry injects https://js.stripe.com/<release>/stripe.js only when a purchase
 * starts (a page that never buys makes no request to Stripe), then `createEmbeddedCheckoutPage`
 * (the embedded Checkout call since v9) with the session's client secret, mounted in our element.
 */
export async function mountEmbeddedCheckout(options: {
  publishableKey: string;
  clientSecret: string;
  element: HTMLElement;
  onComplete: () => void;
}): Promise<StripeEmbeddedCheckout> {
  const { loadStripe } = await import('@stripe/stripe-js/pure');
  const stripe = await loadStripe(options.publishableKey);
  if (stripe === null) throw new Error('Stripe.js is not available in this environment');
  const checkout = await stripe.createEmbeddedCheckoutPage({
    clientSecret: options.clientSecret,
    onComplete: options.onComplete,
  });
  checkout.mount(options.element);
  return checkout;
}
