import { randomUUID } from 'node:crypto';
import { DATABASE, type Database } from '../../../src/database/database';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, TEST_KEYS, type TestApp } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { expectLedgerConsistent } from './ledger-checks';
import { FakeRedis } from '../fake-redis';

const admin = { key: TEST_KEYS.admin };
const CODE_FORMAT = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/;

function mint(t: TestApp, body: unknown) {
  return t.http.post<any>('/v1/gift-codes', body, admin);
}

function redeem(t: TestApp, accountId: string, code: string, headers: Record<string, string> = {}) {
  return t.http.post<any>(`/v1/accounts/${accountId}/gift-codes/redeem`, { code }, { headers });
}

describe('gift codes (PostgreSQL, over HTTP)', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => t.close());

  it('mints promotional codes (≥ 80 bits, readable) that only exist as hashes, then redeems one', async () => {
    const minted = await mint(t, { credits: 25, count: 3 });
    expect(minted.status).toBe(201);
    expect(minted.body.data).toHaveLength(3);
    for (const code of minted.body.data) {
      expect(code).toEqual({
        code: expect.stringMatching(CODE_FORMAT),
        credits: 25,
        expiresAt: null,
      });
    }
    // A dump of the table reveals no code: neither as typed nor in canonical form.
    const dump = JSON.stringify(
      (await t.app.get<Database>(DATABASE).pool.query('SELECT * FROM gift_codes')).rows,
    );
    for (const { code } of minted.body.data) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace(/-/g, ''));
    }

    const accountId = `user:${randomUUID()}`;
    // Case and dashes do not matter.
    const typed = minted.body.data[0].code.toLowerCase().replace(/-/g, ' ');
    const redeemed = await redeem(t, accountId, typed);
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({ credits: 25, balance: 25, available: 25 });
    expect(redeemed.body.blocks).toEqual([
      { blockId: expect.any(String), credits: 25, category: 'promotional', expiresAt: null },
    ]);
    const balance = await t.http.get(`/v1/accounts/${accountId}/balance`);
    expect(balance.body.blocks).toEqual([
      expect.objectContaining({ source: 'gift', category: 'promotional', remaining: 25 }),
    ]);

    // Once: again into the same account, or into another one: 409.
    const again = await redeem(t, accountId, minted.body.data[0].code);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('gift_code_redeemed');
    const other = await redeem(t, `user:${randomUUID()}`, minted.body.data[0].code);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('gift_code_redeemed');

    const history = await t.http.get(
      `/v1/accounts/${accountId}/transactions?after=${encodeURIComponent(redeemed.body.position)}`,
    );
    expect(history.body.data[0]).toMatchObject({ type: 'gift', credits: 25, balanceAfter: 25 });
    await expectLedgerConsistent(t, [accountId], redeemed.body.position);
  });

  it('a retry with the same Idempotency-Key answers the first redemption', async () => {
    const minted = await mint(t, { credits: 5 });
    const accountId = `user:${randomUUID()}`;
    const headers = { 'Idempotency-Key': `redeem-${randomUUID()}` };
    const first = await redeem(t, accountId, minted.body.data[0].code, headers);
    const second = await redeem(t, accountId, minted.body.data[0].code, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('funded by an account: the credits leave it into escrow and arrive with their category and expiry', async () => {
    const funder = `org:${randomUUID()}`;
    const promoExpiry = '2026-03-11T12:00:00.000Z';
    await t.http.post(
      `/v1/accounts/${funder}/grants`,
      { credits: 30, category: 'promotional', reason: 'promotion', expiresAt: promoExpiry },
      { key: TEST_KEYS.granter },
    );
    await t.http.post(
      `/v1/accounts/${funder}/purchases`,
      { credits: 100, amountPaid: 1000, currency: 'USD', providerRef: `pi_${randomUUID()}` },
      { key: TEST_KEYS.granter },
    );
    const minted = await mint(t, { credits: 20, count: 2, fundedBy: funder });
    expect(minted.status).toBe(201);
    expect(minted.body.fundedBy).toBe(funder);
    // The first code carries promotional credits only: it expires with them.
    expect(minted.body.data.map((code: { expiresAt: string | null }) => code.expiresAt)).toEqual([
      promoExpiry,
      promoExpiry,
    ]);
    const funderBalance = await t.http.get(`/v1/accounts/${funder}/balance`);
    expect(funderBalance.body).toMatchObject({ balance: 90, available: 90 });

    const receiver = `user:${randomUUID()}`;
    const redeemed = await redeem(t, receiver, minted.body.data[1].code);
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.credits).toBe(20);
    expect(
      redeemed.body.blocks.map(
        (block: { category: string; credits: number; expiresAt: string | null }) => [
          block.category,
          block.credits,
          block.expiresAt,
        ],
      ),
    ).toEqual([
      ['promotional', 10, promoExpiry],
      ['paid', 10, null],
    ]);
    const received = await t.http.get(`/v1/accounts/${receiver}/balance`);
    expect(received.body.blocks.map((block: { source: string }) => block.source)).toEqual([
      'gift',
      'gift',
    ]);
    const funderHistory = await t.http.get(
      `/v1/accounts/${funder}/transactions?type=gift&after=${encodeURIComponent(redeemed.body.position)}`,
    );
    expect(funderHistory.body.data).toEqual([
      expect.objectContaining({ type: 'gift', credits: -40, balanceAfter: 90 }),
    ]);
    await expectLedgerConsistent(t, [funder, receiver], redeemed.body.position);
  });

  it('a funder without the credits: 402 insufficient_credits and no code is made', async () => {
    const funder = `org:${randomUUID()}`;
    const pool = t.app.get<Database>(DATABASE).pool;
    const before = (await pool.query('SELECT count(*)::int AS n FROM gift_codes')).rows[0].n;
    const refused = await mint(t, { credits: 20, count: 5, fundedBy: funder });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'insufficient_credits',
      required: 100,
      available: 0,
    });
    expect((await pool.query('SELECT count(*)::int AS n FROM gift_codes')).rows[0].n).toBe(before);
  });

  it('an expired code: 410 gift_code_expired', async () => {
    const minted = await mint(t, { credits: 5, expiresAt: '2026-03-01T13:00:00Z' });
    expect(minted.body.data[0].expiresAt).toBe('2026-03-01T13:00:00.000Z');
    clock.advance(2 * 60 * 60 * 1000);
    const late = await redeem(t, `user:${randomUUID()}`, minted.body.data[0].code);
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('gift_code_expired');
    const past = await mint(t, { credits: 5, expiresAt: '2026-03-01T13:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('expiresAt');
  });

  it('guessing: after 5 wrong codes in a minute, 429 with Retry-After, even for a good code, until the minute is over', async () => {
    const accountId = `user:${randomUUID()}`;
    const good = (await mint(t, { credits: 7 })).body.data[0].code;
    for (let guess = 0; guess < 5; guess++) {
      const wrong = await redeem(
        t,
        accountId,
        guess % 2 === 0 ? 'AAAAA-BBBBB-CCCCC-DDDDD' : 'nonsense',
      );
      expect(wrong.status).toBe(404);
      expect(wrong.body.code).toBe('gift_code_not_found');
    }
    const blocked = await redeem(t, accountId, good);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not affected.
    expect((await redeem(t, `user:${randomUUID()}`, 'AAAAA-BBBBB-CCCCC-DDDDD')).status).toBe(404);

    clock.advance(61_000);
    const after = await redeem(t, accountId, good);
    expect(after.status).toBe(201);
  });

  it('refuses bad requests: 400 naming fields, 403 without the admin scope', async () => {
    const tooMany = await mint(t, { credits: 5, count: 1001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].field).toBe('count');
    const noCredits = await mint(t, { count: 2, fundedBy: 'not an id' });
    expect(noCredits.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'credits',
      'fundedBy',
    ]);
    const service = await t.http.post<any>('/v1/gift-codes', { credits: 5 });
    expect(service.status).toBe(403);
    const noCode = await t.http.post<any>(`/v1/accounts/user:x/gift-codes/redeem`, {});
    expect(noCode.status).toBe(400);
    expect(noCode.body.errors[0].field).toBe('code');
  });

  it('mints a batch of 1,000', async () => {
    const minted = await mint(t, { credits: 1, count: 1000 });
    expect(minted.status).toBe(201);
    expect(new Set(minted.body.data.map((code: { code: string }) => code.code)).size).toBe(1000);
  });
});

describe('gift codes under concurrency (PostgreSQL, two instances)', () => {
  let database: TestDatabase;
  let instances: TestApp[];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 20 });
    instances = [await startTestApp({ database }), await startTestApp({ database })];
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database.drop();
  });

  it('one code, 40 concurrent redemptions by 20 accounts: exactly one wins', async () => {
    const { code } = (await mint(instances[0], { credits: 9 })).body.data[0];
    const accounts = Array.from({ length: 20 }, () => `user:${randomUUID()}`);
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        redeem(instances[index % 2], accounts[index % 20], code),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(39);
    const winner = accounts[responses.findIndex((response) => response.status === 201) % 20];
    const balances = await Promise.all(
      accounts.map(
        async (accountId) =>
          (await instances[0].http.get(`/v1/accounts/${accountId}/balance`)).body.balance,
      ),
    );
    expect(balances.reduce((sum: number, balance: number) => sum + balance, 0)).toBe(9);
    expect((await instances[1].http.get(`/v1/accounts/${winner}/balance`)).body.balance).toBe(9);
  });
});

describe('gift-code guessing with a shared store (RATE_LIMIT_REDIS_URL)', () => {
  it('replicas count the wrong codes of an account together', async () => {
    const redis = new FakeRedis();
    const database = await createTestDatabase();
    const env = { RATE_LIMIT_REDIS_URL: await redis.start() };
    const replicas = [await startTestApp({ database, env }), await startTestApp({ database, env })];
    try {
      const accountId = `user:${randomUUID()}`;
      for (let guess = 0; guess < 5; guess++)
        expect(
          (await redeem(replicas[guess % 2], accountId, 'AAAAA-BBBBB-CCCCC-DDDDD')).status,
        ).toBe(404);
      const good = (await mint(replicas[0], { credits: 3 })).body.data[0].code;
      for (const replica of replicas) {
        const blocked = await redeem(replica, accountId, good);
        expect(blocked.status).toBe(429);
        expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(redis.commands.filter(([name]) => name === 'INCR')).toHaveLength(5);
    } finally {
      for (const replica of replicas) await replica.close();
      await redis.stop();
      await database.drop();
    }
  });
});
