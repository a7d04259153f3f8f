import { ProjectionWaiter } from '../../projections/nest/projection-waiter';
import { accountsProjection } from '../../projections/accounts.projection';
import { startTestApp, TEST_API_KEYS, TEST_KEYS, type TestApp } from '../support/test-app';

const FINANCE_ONLY = 'finance-only-secret';
const SPEND_ONLY = 'spend-only-secret';

/** GET /v1/accounts (the console's account search) over real HTTP on the real PostgreSQL store. */
describe('account search over HTTP', () => {
  let t: TestApp;
  // Byte order: upper case before lower case, '_' (0x5F) after digits and upper case.
  const accounts = ['org:a_1', 'org:aX', 'org:ab', 'org:abc', 'org:b', 'user:1', 'user:2'];
  const search = (query: string, key: string | null = TEST_KEYS.readOnly) =>
    t.http.get<any>(`/v1/accounts${query}`, { key });

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        LEDGER_API_KEYS: `${TEST_API_KEYS},finonly:${FINANCE_ONLY}:finance,spender:${SPEND_ONLY}:spend`,
      },
    });
    let position = '';
    for (const [index, accountId] of accounts.entries()) {
      const grant = await t.http.post<any>(
        `/v1/accounts/${accountId}/grants`,
        { credits: 10 + index, category: 'promotional', reason: 'promotion' },
        { key: TEST_KEYS.granter },
      );
      expect(grant.status).toBe(201);
      position = grant.body.position;
    }
    const reached = await t.app
      .get(ProjectionWaiter)
      .waitFor(accountsProjection.name, position, 10_000);
    expect(reached).toMatchObject({ reached: true });
  });
  afterAll(() => t?.close());

  it('lists every account by accountId in byte order, with balances', async () => {
    const response = await search('');
    expect(response.status).toBe(200);
    expect(response.body.data.map((row: { accountId: string }) => row.accountId)).toEqual(
      [...accounts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    expect(response.body.data[0]).toEqual({
      accountId: 'org:aX',
      balance: 11,
      available: 11,
      reserved: 0,
      updatedAt: t.clock.now().toISOString(),
    });
    expect(response.body.nextCursor).toBeNull();
  });

  it('matches the start of accountId literally (_ and % are not wildcards)', async () => {
    const ids = async (prefix: string) =>
      (await search(`?prefix=${encodeURIComponent(prefix)}`)).body.data.map(
        (row: { accountId: string }) => row.accountId,
      );
    expect(await ids('org:ab')).toEqual(['org:ab', 'org:abc']);
    expect(await ids('org:a_')).toEqual(['org:a_1']);
    expect(await ids('org:%')).toEqual([]);
    expect(await ids('user:')).toEqual(['user:1', 'user:2']);
    expect(await ids('nobody')).toEqual([]);
  });

  it('pages with limit and after = nextCursor, to the end', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = `?prefix=org:&limit=2${after === null ? '' : `&after=${encodeURIComponent(after)}`}`;
      const response = await search(query);
      expect(response.status).toBe(200);
      expect(response.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...response.body.data.map((row: { accountId: string }) => row.accountId));
      after = response.body.nextCursor;
      pages += 1;
    } while (after !== null && pages < 10);
    expect(seen).toEqual(['org:aX', 'org:a_1', 'org:ab', 'org:abc', 'org:b']);
    expect(pages).toBe(3);
  });

  it('answers finance and admin keys, and refuses keys without read, finance or admin', async () => {
    expect((await search('', FINANCE_ONLY)).status).toBe(200);
    expect((await search('', TEST_KEYS.finance)).status).toBe(200);
    expect((await search('', TEST_KEYS.admin)).status).toBe(200);
    expect((await search('', TEST_KEYS.service)).status).toBe(200);
    const refused = await search('', SPEND_ONLY);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('This API key lacks the "read" or "finance" scope');
    expect((await search('', null)).status).toBe(401);
  });

  it('refuses bad input with 400 validation_failed naming each field', async () => {
    const fields = async (query: string) => {
      const response = await search(query);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      return response.body.errors.map((error: { field: string }) => error.field).sort();
    };
    expect(await fields('?limit=0')).toEqual(['limit']);
    expect(await fields('?limit=101')).toEqual(['limit']);
    expect(await fields('?limit=ten')).toEqual(['limit']);
    expect(await fields(`?prefix=${'a'.repeat(201)}`)).toEqual(['prefix']);
    expect(await fields('?after=has%20space&limit=-1')).toEqual(['after', 'limit']);
    expect(await fields('?limit=1&limit=2')).toEqual(['limit']);
  });
});
