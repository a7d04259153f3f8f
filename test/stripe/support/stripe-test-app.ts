import { startTestApp, type TestApp } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import type { FakeStripeApi } from './fake-stripe-api';

export interface StripeTestApp {
  t: TestApp;
  db: TestDatabase;
  /** Stops the app, then drops its database, then stops the fake Stripe API. */
  close(): Promise<void>;
}

/** The app on its own database, its Stripe SDK pointed at `stripeApi` (started here). */
export async function startWithFakeStripe(stripeApi: FakeStripeApi, env: Record<string, string>): Promise<StripeTestApp> {
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
