import createClient from 'openapi-fetch';
import type { paths } from '../../web/src/api/schema';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * The generated types with openapi-fetch against the running service, as the widgets use them: a
 * backend mints a customer token, the browser's client reads the balance and the packs with it.
 */
describe('the typed client (openapi-fetch + web/src/api/schema.d.ts)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { CUSTOMER_TOKEN_SECRET: 'typed-client-secret-0123456789abcdefgh' },
    });
  });
  afterAll(() => t.close());

  it('mints a token with an API key, then reads balance and packs with the token', async () => {
    const backend = createClient<paths>({
      baseUrl: t.baseUrl,
      headers: { authorization: `Bearer ${TEST_KEYS.service}` },
    });
    const minted = await backend.POST('/v1/accounts/{accountId}/customer-tokens', {
      params: { path: { accountId: 'typed-1' } },
      body: { ttlSeconds: 120 },
    });
    expect(minted.response.status).toBe(201);
    const token: string = minted.data!.token;

    const browser = createClient<paths>({
      baseUrl: t.baseUrl,
      headers: { authorization: `Bearer ${token}` },
    });
    const balance = await browser.GET('/v1/accounts/{accountId}/balance', {
      params: { path: { accountId: 'typed-1' } },
    });
    expect(balance.response.status).toBe(200);
    const available: number = balance.data!.available;
    expect(available).toBe(0);

    const packs = await browser.GET('/v1/credit-packs');
    expect(packs.data!.data.map((pack) => pack.packId)).toEqual(['basic', 'standard', 'pro']);

    const refused = await browser.POST('/v1/accounts/{accountId}/spends', {
      params: { path: { accountId: 'typed-1' } },
      body: { credits: 1, description: 'not for a browser' },
    });
    expect(refused.response.status).toBe(403);
  });
});
