import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';
import { ManualClock } from '../../../src/shared/clock';
import { startTestApp, TEST_KEYS, type TestApp } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { expectLedgerConsistent } from './ledger-checks';

const admin = { key: TEST_KEYS.admin };

async function fund(t: TestApp, account: string, credits: number): Promise<void> {
  const grant = await t.http.post(
    `${account}/grants`,
    { credits, category: 'paid', reason: 'adjustment' },
    { key: TEST_KEYS.granter },
  );
  expect(grant.status).toBe(201);
}

function setMember(t: TestApp, account: string, memberId: string, body: unknown) {
  return t.http.send<any>('PUT', `${account}/members/${encodeURIComponent(memberId)}`, body, admin);
}

describe('organization pools (PostgreSQL, over HTTP)', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => t.close());

  it('members: add with a limit, list, change, remove; each change is an event of the org', async () => {
    const account = `/v1/accounts/org:acme-${randomUUID()}`;
    const added = await setMember(t, account, 'user:ann', {
      limit: { credits: 50, period: 'day' },
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      memberId: 'user:ann',
      limit: { credits: 50, period: 'day' },
      used: 0,
      period: 'day',
      periodStart: '2026-03-01T00:00:00.000Z',
    });
    const unlimited = await setMember(t, account, 'user:bob', {});
    expect(unlimited.body).toMatchObject({ memberId: 'user:bob', limit: null, used: 0 });
    expect(unlimited.body.periodStart).toBe('2026-03-01T00:00:00.000Z');

    const listed = await t.http.get(`${account}/members`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((member: { memberId: string }) => member.memberId)).toEqual([
      'user:ann',
      'user:bob',
    ]);

    const changed = await setMember(t, account, 'user:ann', {
      limit: { credits: 10, period: 'month' },
    });
    expect(changed.body).toMatchObject({
      limit: { credits: 10, period: 'month' },
      period: 'month',
    });

    const removed = await t.http.send('DELETE', `${account}/members/user:bob`, undefined, admin);
    expect(removed.status).toBe(204);
    expect(removed.body).toBe('');
    // Removing again is no error, and writes nothing.
    expect(
      (await t.http.send('DELETE', `${account}/members/user:bob`, undefined, admin)).status,
    ).toBe(204);
    expect((await t.http.get(`${account}/members`)).body.data).toHaveLength(1);

    const events = await t.http.get(`${account}/events`, { key: TEST_KEYS.finance });
    expect(events.body.data.map((event: { type: string }) => event.type)).toEqual([
      'MemberSet',
      'MemberSet',
      'MemberSet',
      'MemberRemoved',
    ]);
  });

  it('refuses bad bodies (400 naming the field) and callers without the admin scope (403)', async () => {
    const account = `/v1/accounts/org:bad-${randomUUID()}`;
    const week = await setMember(t, account, 'user:ann', { limit: { credits: 5, period: 'week' } });
    expect(week.status).toBe(400);
    expect(week.body.code).toBe('validation_failed');
    expect(week.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'limit.period',
    ]);
    const zero = await setMember(t, account, 'user:ann', { limit: { credits: 0, period: 'day' } });
    expect(zero.status).toBe(400);
    const badId = await setMember(t, account, 'not a member id', {});
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('memberId');
    const service = await t.http.send<any>('PUT', `${account}/members/user:ann`, {}, {});
    expect(service.status).toBe(403);
    expect(service.body.code).toBe('forbidden');
  });

  it('spends naming a member: 403 not_a_member, 402 member_limit_exceeded, nothing written', async () => {
    const accountId = `org:spend-${randomUUID()}`;
    const account = `/v1/accounts/${accountId}`;
    await fund(t, account, 1_000);
    await setMember(t, account, 'user:ann', { limit: { credits: 30, period: 'day' } });

    const stranger = await t.http.post(`${account}/spends`, {
      credits: 1,
      description: 'x',
      member: 'user:zed',
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body).toMatchObject({ code: 'not_a_member', member: 'user:zed' });

    const first = await t.http.post(`${account}/spends`, {
      credits: 20,
      description: 'render',
      member: 'user:ann',
    });
    expect(first.status).toBe(201);
    const over = await t.http.post(`${account}/spends`, {
      credits: 11,
      description: 'render',
      member: 'user:ann',
    });
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({
      code: 'member_limit_exceeded',
      member: 'user:ann',
      limit: 30,
      used: 20,
      period: 'day',
      periodStart: '2026-03-01T00:00:00.000Z',
    });
    const balance = await t.http.get(`${account}/balance`);
    expect(balance.body).toMatchObject({ balance: 980, revision: first.body.revision });

    // History rows show the member.
    const rows = await t.http.get(
      `${account}/transactions?type=spend&after=${encodeURIComponent(first.body.position)}`,
    );
    expect(rows.body.data[0].metadata).toEqual({ member: 'user:ann' });

    // A refund does not give the member its usage back (docs/programs.md).
    const refund = await t.http.post(`${account}/refunds`, {
      spendId: first.body.spendId,
      reason: 'failed render',
    });
    expect(refund.status).toBe(201);
    const members = await t.http.get(`${account}/members`);
    expect(members.body.data[0]).toMatchObject({ memberId: 'user:ann', used: 20 });

    // A new UTC day: the daily limit starts again.
    clock.advance(24 * 60 * 60 * 1000);
    const nextDay = await t.http.post(`${account}/spends`, {
      credits: 30,
      description: 'render',
      member: 'user:ann',
    });
    expect(nextDay.status).toBe(201);
    expect((await t.http.get(`${account}/members`)).body.data[0]).toMatchObject({
      used: 30,
      periodStart: '2026-03-02T00:00:00.000Z',
    });

    // A removed member is refused.
    await t.http.send('DELETE', `${account}/members/user:ann`, undefined, admin);
    const gone = await t.http.post(`${account}/spends`, {
      credits: 1,
      description: 'x',
      member: 'user:ann',
    });
    expect(gone.status).toBe(403);
    expect(gone.body.code).toBe('not_a_member');
    await expectLedgerConsistent(t, [accountId], nextDay.body.position);
  });

  it('a member spend priced by operation is checked the same way', async () => {
    const account = `/v1/accounts/org:priced-${randomUUID()}`;
    await fund(t, account, 100);
    const stranger = await t.http.post(`${account}/spends`, {
      operation: 'stem-separation',
      member: 'user:nobody',
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('not_a_member');
    await setMember(t, account, 'user:ann', { limit: { credits: 1, period: 'day' } });
    const over = await t.http.post(`${account}/spends`, {
      operation: 'stem-separation',
      member: 'user:ann',
    });
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({ code: 'member_limit_exceeded', limit: 1, used: 0 });
  });
});

describe('organization pools under concurrency (PostgreSQL, two instances)', () => {
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

  it('300 concurrent spends by 3 members with limits: no member over its limit, the pool never negative', async () => {
    const accountId = `org:race-${randomUUID()}`;
    const account = `/v1/accounts/${accountId}`;
    const [one] = instances;
    await fund(one, account, 150);
    const limits: Record<string, { credits: number; period: 'day' | 'month' }> = {
      'user:ann': { credits: 50, period: 'day' },
      'user:bob': { credits: 30, period: 'month' },
      'user:cid': { credits: 100, period: 'day' },
    };
    for (const [memberId, limit] of Object.entries(limits))
      expect((await setMember(one, account, memberId, { limit })).status).toBe(200);
    await Promise.all(instances.map((instance) => instance.http.get(`${account}/balance`)));

    const members = Object.keys(limits);
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        instances[index % 2].http.post(`${account}/spends`, {
          credits: 1,
          description: `spend ${index}`,
          member: members[index % 3],
        }),
      ),
    );

    const won = new Map<string, number>(members.map((member) => [member, 0]));
    responses.forEach((response, index) => {
      if (response.status === 201) won.set(members[index % 3], won.get(members[index % 3])! + 1);
      else {
        expect(response.status).toBe(402);
        expect(['member_limit_exceeded', 'insufficient_credits']).toContain(response.body.code);
      }
    });
    for (const member of members)
      expect(won.get(member)).toBeLessThanOrEqual(limits[member].credits);
    const total = [...won.values()].reduce((sum, credits) => sum + credits, 0);
    expect(total).toBe(150);

    for (const instance of instances) {
      const balance = await instance.http.get(`${account}/balance`);
      expect(balance.body).toMatchObject({ balance: 0, available: 0 });
      const listed = await instance.http.get(`${account}/members`);
      for (const member of listed.body.data) expect(member.used).toBe(won.get(member.memberId));
    }
    const stream = await one.app.get<EventStore>(EVENT_STORE).readStream(`credits-${accountId}`);
    await expectLedgerConsistent(one, [accountId], stream.at(-1)!.position);
  });
});
