import { startTestApp, type HttpResponse, type TestApp } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import type { FakeStripeApi } from './fake-stripe-api';
import { sign, type StripeEventJson } from './stripe-events';

export interface StripeTestApp {
  t: TestApp;
  db: TestDatabase;
  /** Stops the app, then drops its database, then stops the fake Stripe API. */
  close(): Promise<void>;
}

/** The app on its own database, its Stripe SDK pointed at `stripeApi` (started here). */
export async function startWithFakeStripe(
  stripeApi: FakeStripeApi,
  env: Record<string, string>,
): Promise<StripeTestApp> {
  const apiUrl = await stripeApi.start();
  const db = await createTestDatabase();
  const t = await startTestApp({ database: db, env: { ...env, STRIPE_API_URL: apiUrl } });
  return {
    t,
    db,
    close: async () => {
      await t.close();
      await db.drop();
      await stripeApi.stop();
    },
  };
}

export interface DeliveryOptions {
  /** Signature timestamp in Unix seconds; default: the app's clock now. */
  timestamp?: number;
  secret?: string;
  /** A signature header as given, or null for none; default: a valid one. */
  signature?: string | null;
}

/** Sends an event the way Stripe does: pretty-printed JSON, signed, no API key. */
export function deliverStripeEvent(
  t: TestApp,
  body: StripeEventJson | string,
  options: DeliveryOptions = {},
): Promise<HttpResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  const timestamp = options.timestamp ?? Math.floor(t.clock.now().getTime() / 1000);
  const signature =
    options.signature === undefined
      ? sign(payload, { timestamp, secret: options.secret })
      : options.signature;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  };
  if (signature !== null) headers['stripe-signature'] = signature;
  return t.http.post('/v1/webhooks/stripe', undefined, { key: null, rawBody: payload, headers });
}
