import { randomUUID } from 'node:crypto';
import { ProjectionWaiter } from '../../../projections/nest/projection-waiter';
import type { ProjectedEvent } from '../../../projections/projection';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';
import { streamIdFor } from '../../../src/ledger/limits';
import { toLedgerEvent } from '../../../src/ledger/upcast';
import { ReferralRewardReactor } from '../../../src/programs/referrals/referral-reward.reactor';
import { startTestApp, TEST_KEYS, type TestApp } from '../../support/test-app';
import { expectLedgerConsistent } from './ledger-checks';

const granter = { key: TEST_KEYS.granter };

describe('referrals (PostgreSQL, over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { REFERRAL_CREDITS: '40' } });
  });
  afterAll(async () => t.close());

  const refer = (body: unknown, key: string = TEST_KEYS.granter) =>
    t.http.post<any>('/v1/referrals', body, { key });
  const buy = (accountId: string, credits = 100) =>
    t.http.post<any>(
      `/v1/accounts/${accountId}/purchases`,
      { credits, amountPaid: credits * 10, currency: 'USD', providerRef: `pi_${randomUUID()}` },
      granter,
    );
  const balanceOf = async (accountId: string): Promise<number> =>
    (await t.http.get<any>(`/v1/accounts/${accountId}/balance`)).body.balance;
  /** Waits until the reward reactor has handled the log up to `position`. */
  const rewarded = async (position: string) =>
    expect(
      await t.app.get(ProjectionWaiter).waitFor('referral-rewards', position, 10_000),
    ).toMatchObject({ reached: true });

  it('registers once per referee (409 referral_exists), refuses bad bodies and scopes', async () => {
    const referrer = `user:${randomUUID()}`;
    const referee = `user:${randomUUID()}`;
    const created = await refer({ referrer, referee });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ referrer, referee, credits: 40, status: 'pending' });
    const again = await refer({ referrer: `user:${randomUUID()}`, referee });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'referral_exists', referee });
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        refer({ referrer: `user:r${index}`, referee: `user:contested-${referee}` }),
      ),
    );
    expect(concurrent.filter((response) => response.status === 201)).toHaveLength(1);
    expect(concurrent.filter((response) => response.status === 409)).toHaveLength(9);

    const self = await refer({ referrer, referee: referrer });
    expect(self.status).toBe(400);
    expect(self.body.errors[0].field).toBe('referee');
    const bad = await refer({ referrer: 'not an id' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'referee',
      'referrer',
    ]);
    expect(
      (await refer({ referrer, referee: `user:${randomUUID()}` }, TEST_KEYS.service)).status,
    ).toBe(403);
  });

  it('both get REFERRAL_CREDITS when the referee’s first purchase lands, once', async () => {
    const referrer = `user:${randomUUID()}`;
    const referee = `user:${randomUUID()}`;
    expect((await refer({ referrer, referee })).status).toBe(201);
    const first = await buy(referee);
    expect(first.status).toBe(201);
    await rewarded(first.body.position);
    expect(await balanceOf(referrer)).toBe(40);
    expect(await balanceOf(referee)).toBe(140);

    const second = await buy(referee);
    await rewarded(second.body.position);
    expect(await balanceOf(referrer)).toBe(40);
    expect(await balanceOf(referee)).toBe(240);

    const history = await t.http.get<any>(
      `/v1/accounts/${referrer}/transactions?after=${encodeURIComponent(second.body.position)}`,
    );
    expect(history.body.data).toEqual([
      expect.objectContaining({
        type: 'grant',
        credits: 40,
        description: expect.stringContaining('Referral'),
      }),
    ]);
    const events = await t.http.get<any>(`/v1/accounts/${referee}/events`, {
      key: TEST_KEYS.finance,
    });
    const grants = events.body.data.filter(
      (event: { type: string }) => event.type === 'CreditsGranted',
    );
    expect(grants).toHaveLength(1);
    expect(grants[0].data).toMatchObject({
      reason: 'referral',
      category: 'promotional',
      credits: 40,
    });
    await expectLedgerConsistent(t, [referrer, referee], second.body.position);
  });

  it('a purchase handled again (a replayed reactor batch, concurrently) grants nothing twice', async () => {
    const referrer = `user:${randomUUID()}`;
    const referee = `user:${randomUUID()}`;
    expect((await refer({ referrer, referee })).status).toBe(201);
    const purchase = await buy(referee);
    const [recorded] = await t.app
      .get<EventStore>(EVENT_STORE)
      .readStream(streamIdFor(referee), { maxCount: 1 });
    const event: ProjectedEvent = {
      accountId: referee,
      revision: recorded.revision,
      eventId: recorded.eventId,
      position: recorded.position,
      recordedAt: recorded.recordedAt,
      event: toLedgerEvent(recorded),
    };
    const reactor = t.app.get(ReferralRewardReactor);
    // The running reactor handles it too: three deliveries of one purchase in all.
    await Promise.all([reactor.apply(null, [event]), reactor.apply(null, [event])]);
    await rewarded(purchase.body.position);
    await reactor.apply(null, [event]);
    expect(await balanceOf(referrer)).toBe(40);
    expect(await balanceOf(referee)).toBe(140);
  });

  it('a referee who bought before the referral never pays one out', async () => {
    const referrer = `user:${randomUUID()}`;
    const referee = `user:${randomUUID()}`;
    await buy(referee);
    expect((await refer({ referrer, referee })).status).toBe(201);
    const later = await buy(referee);
    await rewarded(later.body.position);
    expect(await balanceOf(referrer)).toBe(0);
    expect(await balanceOf(referee)).toBe(200);
  });
});
