import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

const grantKey = { key: TEST_KEYS.granter };

/** Every rejected request gets a 4xx problem naming the field, and writes nothing. */
describe('bad input', () => {
  let t: TestApp;
  const account = '/v1/accounts/user-bad';

  beforeAll(async () => {
    t = await startTestApp();
    await t.http.post(
      `${account}/grants`,
      { credits: 10, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
  });
  afterAll(() => t.close());

  afterEach(async () => {
    const balance = await t.http.get(`${account}/balance`);
    expect(balance.body).toMatchObject({ balance: 10, revision: 0 });
  });

  const WHOLE = 'must be a whole number of credits';
  const badCredits: Array<[string, unknown, string]> = [
    ['zero', 0, 'must be at least 1'],
    ['negative', -5, 'must be at least 1'],
    ['fractional', 1.5, WHOLE],
    ['a string', '5', WHOLE],
    ['a string of a valid amount', '10', WHOLE],
    ['over the bound', 1_000_000_000_001, 'must be at most 1000000000000'],
    ['an unsafe integer', 2 ** 53, 'must be at most 1000000000000'],
    ['null', null, WHOLE],
    ['a boolean', true, WHOLE],
  ];

  it.each(badCredits)(
    'refuses credits that are %s, with one clear message',
    async (_name, credits, message) => {
      const response = await t.http.post(`${account}/spends`, { credits, description: 'x' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 400,
        code: 'validation_failed',
        type: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(response.body.errors).toEqual([{ field: 'credits', message }]);
    },
  );

  it('names every bad field at once', async () => {
    const response = await t.http.post(
      `${account}/grants`,
      { credits: -1, category: 'gold', reason: 'because' },
      grantKey,
    );
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['credits', 'category', 'reason']));
  });

  it('refuses a missing credits field: "is required"', async () => {
    const response = await t.http.post(`${account}/spends`, { description: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'credits', message: 'is required' }]);
  });

  it('says "is required" once for each missing field, and one message for each bad one', async () => {
    const response = await t.http.post(
      `${account}/grants`,
      { category: 'gold', description: 7 },
      grantKey,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(4);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'credits', message: 'is required' },
        { field: 'reason', message: 'is required' },
        { field: 'category', message: 'must be one of the following values: paid, promotional' },
        { field: 'description', message: 'must be a string' },
      ]),
    );
  });

  it('refuses an empty description with one message', async () => {
    const response = await t.http.post(`${account}/spends`, { credits: 1, description: '' });
    expect(response.body.errors).toEqual([
      { field: 'description', message: 'should not be empty' },
    ]);
  });

  it('names each missing field of a refund', async () => {
    const response = await t.http.post(`${account}/refunds`, { credits: 1 });
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(2);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'spendId', message: 'is required' },
        { field: 'reason', message: 'is required' },
      ]),
    );
  });

  it('refuses malformed JSON', async () => {
    const response = await t.http.post(`${account}/spends`, undefined, {
      rawBody: '{"credits": 5,',
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'body' })],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js|stack|SyntaxError/);
  });

  it('refuses a JSON body that is not an object', async () => {
    const response = await t.http.post(`${account}/spends`, undefined, { rawBody: '[1,2,3]' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it('refuses unknown fields', async () => {
    const response = await t.http.post(`${account}/spends`, {
      credits: 1,
      description: 'x',
      balance: 1_000_000,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'balance' })]);
  });

  it('refuses prototype-polluting keys', async () => {
    const response = await t.http.post(`${account}/spends`, undefined, {
      rawBody: '{"credits":1,"description":"x","__proto__":{"admin":true}}',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it.each([
    ['with a space', 'has%20space'],
    ['with a slash-like character', 'a%2Fb'],
    ['with a non-ASCII letter', 'caf%C3%A9'],
    ['over 128 characters', 'a'.repeat(129)],
  ])('refuses an account id %s', async (_name, accountId) => {
    const response = await t.http.post(`/v1/accounts/${accountId}/spends`, {
      credits: 1,
      description: 'x',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'accountId' })]);
  });

  it('accepts every allowed account id character', async () => {
    const response = await t.http.get(
      `/v1/accounts/${encodeURIComponent('org:acme.A_9@x-1')}/balance`,
    );
    expect(response.status).toBe(200);
    expect(response.body.accountId).toBe('org:acme.A_9@x-1');
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await t.http.post(`${account}/spends`, {
      credits: 1,
      description: 'x'.repeat(t.config.bodyLimitBytes + 10),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('refuses a non-JSON content type', async () => {
    const response = await t.http.post(`${account}/spends`, undefined, {
      rawBody: 'credits=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('unsupported_media_type');
  });

  it('refuses a bad Idempotency-Key', async () => {
    const response = await t.http.post(
      `${account}/spends`,
      { credits: 1, description: 'x' },
      { headers: { 'idempotency-key': 'k'.repeat(256) } },
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('refuses a refund larger than what is left of the spend', async () => {
    const response = await t.http.post(`${account}/refunds`, {
      spendId: 'spend_unknown',
      reason: 'x',
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });

  it('refuses a grant that expires in the past', async () => {
    const response = await t.http.post(
      `${account}/grants`,
      { credits: 1, category: 'paid', reason: 'adjustment', expiresAt: '2020-01-01T00:00:00Z' },
      grantKey,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'expiresAt' })]);
  });

  it('refuses a reservation TTL over 24 hours', async () => {
    const response = await t.http.post(`${account}/reservations`, {
      credits: 1,
      ttlSeconds: 86_401,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'ttlSeconds' })]);
  });

  it('refuses a bad ?at instant', async () => {
    const response = await t.http.get(`${account}/balance?at=yesterday`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'at' })]);
  });
});
