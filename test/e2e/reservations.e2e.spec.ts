import { auditStream, type AuditedEvent } from '../../src/audit';
import { ManualClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * The background expiry worker (role all) runs on a timer against the same clock; these tests prove
 * what the ledger does lazily, so it must not write in between. One round an hour: never, here.
 */
const NO_BACKGROUND_WORKER = { WORKER_INTERVAL_MS: '3600000' };

const grantKey = { key: TEST_KEYS.granter };
const finance = { key: TEST_KEYS.finance };
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

interface Balance {
  balance: number;
  available: number;
  reserved: number;
  revision: number;
}

/**
 * Holds over HTTP with a controlled clock (LEDGER.md "Reserve", API.md reservations). Each test
 * uses its own account; the clock only moves forward.
 */
describe('reservations (controlled clock)', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp({ clock, env: NO_BACKGROUND_WORKER });
  });
  afterAll(() => t.close());

  const balanceOf = async (account: string): Promise<Balance> => {
    const response = await t.http.get(`/v1/accounts/${account}/balance`);
    expect(response.status).toBe(200);
    // Every balance answer carries available and reserved, and they add up to the balance.
    expect(response.body).toEqual(
      expect.objectContaining({
        balance: expect.any(Number),
        available: expect.any(Number),
        reserved: expect.any(Number),
      }),
    );
    expect(response.body.available + response.body.reserved).toBe(response.body.balance);
    return response.body;
  };
  const eventsOf = async (account: string) =>
    (await t.http.get(`/v1/accounts/${account}/events`, finance)).body.data as {
      revision: number;
      type: string;
      data: Record<string, any>;
      metadata: Record<string, any>;
    }[];
  const grant = (account: string, credits: number, extra: Record<string, unknown> = {}) =>
    t.http.post(
      `/v1/accounts/${account}/grants`,
      { credits, category: 'paid', reason: 'adjustment', ...extra },
      grantKey,
    );
  const reserve = (account: string, body: Record<string, unknown>) =>
    t.http.post(`/v1/accounts/${account}/reservations`, body);
  const capture = (account: string, reservationId: string, body: Record<string, unknown> = {}) =>
    t.http.post(`/v1/accounts/${account}/reservations/${reservationId}/capture`, body);
  const release = (account: string, reservationId: string) =>
    t.http.post(`/v1/accounts/${account}/reservations/${reservationId}/release`);

  it('takes a hold, captures part of it and releases the rest in the same write', async () => {
    const account = 'res-partial';
    await grant(account, 100);
    const hold = await reserve(account, {
      credits: 40,
      ttlSeconds: 600,
      description: 'render job',
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toEqual({
      reservationId: expect.stringMatching(/^reservation_/),
      credits: 40,
      expiresAt: new Date(clock.now().getTime() + 600 * SECOND).toISOString(),
      balance: 100,
      available: 60,
      reserved: 40,
      revision: 1,
      position: expect.any(String),
    });
    expect(await balanceOf(account)).toMatchObject({
      balance: 100,
      available: 60,
      reserved: 40,
      revision: 1,
    });

    clock.advance(5 * MINUTE);
    const captured = await capture(account, hold.body.reservationId, {
      credits: 25,
      description: 'rendered 25 frames',
    });
    expect(captured.status).toBe(201);
    expect(captured.body).toEqual({
      reservationId: hold.body.reservationId,
      spendId: expect.stringMatching(/^spend_/),
      credits: 25,
      released: 15,
      balance: 75,
      available: 75,
      reserved: 0,
      revision: 3,
      position: expect.any(String),
    });
    expect(await balanceOf(account)).toMatchObject({
      balance: 75,
      available: 75,
      reserved: 0,
      revision: 3,
    });

    const events = await eventsOf(account);
    expect(
      events
        .slice(1)
        .map((event) => [
          event.type,
          event.data.credits,
          event.data.reason ?? event.data.reservationId,
        ]),
    ).toEqual([
      ['CreditsReserved', 40, hold.body.reservationId],
      ['CreditsSpent', 25, hold.body.reservationId],
      ['ReservationReleased', 15, 'captured_remainder'],
    ]);
    // One write: the capture and the release share the append's correlation id and instant.
    expect(events[3].metadata.correlationId).toBe(events[2].metadata.correlationId);

    // The hold is closed either way; the captured spend is refundable like any other.
    expect((await capture(account, hold.body.reservationId)).body).toMatchObject({
      status: 409,
      code: 'reservation_closed',
    });
    expect((await release(account, hold.body.reservationId)).body).toMatchObject({
      status: 409,
      code: 'reservation_closed',
    });
    const refund = await t.http.post(`/v1/accounts/${account}/refunds`, {
      spendId: captured.body.spendId,
      reason: 'frames lost',
    });
    expect(refund.body).toMatchObject({ credits: 25, balance: 100, available: 100, reserved: 0 });
  });

  it('captures all that is held by default', async () => {
    const account = 'res-full';
    await grant(account, 10);
    const hold = await reserve(account, { credits: 10 });
    const captured = await capture(account, hold.body.reservationId);
    expect(captured.body).toMatchObject({
      credits: 10,
      released: 0,
      balance: 0,
      available: 0,
      reserved: 0,
    });
    expect((await eventsOf(account)).map((event) => event.type)).toEqual([
      'CreditsGranted',
      'CreditsReserved',
      'CreditsSpent',
    ]);
  });

  it('refuses a late capture with 409 reservation_expired once the deadline passed, writing nothing', async () => {
    const account = 'res-late';
    await grant(account, 100);
    const hold = await reserve(account, { credits: 30, ttlSeconds: 60 });
    expect(hold.body).toMatchObject({ available: 70, reserved: 30 });

    clock.advance(60 * SECOND - 1);
    expect(await balanceOf(account)).toMatchObject({ available: 70, reserved: 30 });

    clock.advance(1); // the deadline itself counts as passed
    const late = await capture(account, hold.body.reservationId, { credits: 10 });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(late.body).toMatchObject({ status: 409, code: 'reservation_expired' });
    expect((await release(account, hold.body.reservationId)).body).toMatchObject({
      status: 409,
      code: 'reservation_expired',
    });
    // Nothing written (not even the due release), yet the balance already counts the hold as given back.
    expect(await balanceOf(account)).toMatchObject({
      balance: 100,
      available: 100,
      reserved: 0,
      revision: 1,
    });

    // The next write on the account records the expiry first, then itself.
    const spend = await t.http.post(`/v1/accounts/${account}/spends`, {
      credits: 100,
      description: 'all of it',
    });
    expect(spend.status).toBe(201);
    const events = await eventsOf(account);
    expect(
      events
        .slice(2)
        .map((event) => [event.type, event.data.reason ?? null, event.metadata.actor.kind]),
    ).toEqual([
      ['ReservationReleased', 'expired', 'system'],
      ['CreditsSpent', null, 'apiKey'],
    ]);
    expect((await capture(account, hold.body.reservationId)).body.code).toBe('reservation_expired');
  });

  it('releases a hold explicitly, in full', async () => {
    const account = 'res-release';
    await grant(account, 50);
    const hold = await reserve(account, { credits: 20 });
    expect(hold.body.expiresAt).toBe(new Date(clock.now().getTime() + 900 * SECOND).toISOString()); // default ttl 15 min
    clock.advance(MINUTE);
    const released = await release(account, hold.body.reservationId);
    expect(released.status).toBe(200);
    expect(released.body).toEqual({
      reservationId: hold.body.reservationId,
      released: 20,
      balance: 50,
      available: 50,
      reserved: 0,
      revision: 2,
      position: expect.any(String),
    });
    expect(await balanceOf(account)).toMatchObject({ balance: 50, available: 50, reserved: 0 });
    expect((await eventsOf(account))[2]).toMatchObject({
      type: 'ReservationReleased',
      data: { credits: 20, reason: 'released' },
    });
    expect((await release(account, hold.body.reservationId)).body).toMatchObject({
      status: 409,
      code: 'reservation_closed',
    });
    expect((await capture(account, hold.body.reservationId)).body).toMatchObject({
      status: 409,
      code: 'reservation_closed',
    });
  });

  it('skips a block that expired when a spend would reach it', async () => {
    const account = 'res-skip-expired';
    const promo = await grant(account, 50, {
      category: 'promotional',
      reason: 'promotion',
      expiresAt: new Date(clock.now().getTime() + HOUR).toISOString(),
    });
    const paid = await grant(account, 20);
    // Before expiry the promotional block comes first in drawdown order.
    expect(await balanceOf(account)).toMatchObject({ balance: 70, available: 70 });

    clock.advance(2 * HOUR);
    // Past its expiresAt the block is gone even though no event says so yet.
    expect(await balanceOf(account)).toMatchObject({
      balance: 20,
      available: 20,
      reserved: 0,
      revision: 1,
    });
    const tooMuch = await t.http.post(`/v1/accounts/${account}/spends`, {
      credits: 30,
      description: 'needs the expired block',
    });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body).toMatchObject({
      code: 'insufficient_credits',
      available: 20,
      required: 30,
    });

    const spend = await t.http.post(`/v1/accounts/${account}/spends`, {
      credits: 15,
      description: 'fits in paid',
    });
    expect(spend.status).toBe(201);
    expect(spend.body).toMatchObject({ balance: 5, available: 5, reserved: 0 });
    const events = await eventsOf(account);
    expect(events.slice(2)).toEqual([
      expect.objectContaining({
        type: 'CreditsExpired',
        data: { blockId: promo.body.blockId, credits: 50 },
      }),
      expect.objectContaining({
        type: 'CreditsSpent',
        data: expect.objectContaining({ drawdown: [{ blockId: paid.body.blockId, credits: 15 }] }),
      }),
    ]);
  });

  it("protects held credits from their block's expiry, and expires them at once when they come back", async () => {
    const account = 'res-protected';
    const promo = await grant(account, 30, {
      category: 'promotional',
      reason: 'promotion',
      expiresAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString(),
    });
    const hold = await reserve(account, { credits: 20, ttlSeconds: 3600 });
    expect(hold.body).toMatchObject({ balance: 30, available: 10, reserved: 20 });

    clock.advance(45 * MINUTE); // the block expired; the hold has not
    expect(await balanceOf(account)).toMatchObject({ balance: 20, available: 0, reserved: 20 });

    const captured = await capture(account, hold.body.reservationId, { credits: 5 });
    expect(captured.status).toBe(201);
    expect(captured.body).toMatchObject({
      credits: 5,
      released: 15,
      balance: 0,
      available: 0,
      reserved: 0,
    });
    const events = await eventsOf(account);
    expect(events.slice(2).map((event) => [event.type, event.data.credits])).toEqual([
      ['CreditsExpired', 10], // lazy expiry of what the block still had
      ['CreditsSpent', 5],
      ['ReservationReleased', 15],
      ['CreditsExpired', 15], // the remainder went back to an expired block: gone in the same write
    ]);
    expect(events[5].data.blockId).toBe(promo.body.blockId);
  });

  it('refuses more than available, and a capture beyond the hold', async () => {
    const account = 'res-limits';
    await grant(account, 10);
    const refused = await reserve(account, { credits: 11 });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'insufficient_credits',
      available: 10,
      required: 11,
    });
    const hold = await reserve(account, { credits: 6 });
    expect((await reserve(account, { credits: 5 })).body).toMatchObject({
      code: 'insufficient_credits',
      available: 4,
      required: 5,
    });
    const tooMuch = await capture(account, hold.body.reservationId, { credits: 7 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([expect.objectContaining({ field: 'credits' })]);
    expect((await capture(account, 'reservation_unknown')).status).toBe(404);
    expect(await balanceOf(account)).toMatchObject({
      balance: 10,
      available: 4,
      reserved: 6,
      revision: 1,
    });
  });

  it.each([
    [{ credits: 1, ttlSeconds: 0 }, 'ttlSeconds'],
    [{ credits: 1, ttlSeconds: 86_401 }, 'ttlSeconds'],
    [{ credits: 1, ttlSeconds: 1.5 }, 'ttlSeconds'],
    [{ credits: 1, ttlSeconds: '60' }, 'ttlSeconds'],
    [{ credits: 0 }, 'credits'],
    [{ credits: 1, until: 'later' }, 'until'],
  ])('answers 400 for %j', async (body, field) => {
    const response = await reserve('res-bad-input', body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it('accepts the longest hold, 24 hours', async () => {
    await grant('res-long', 1);
    const hold = await reserve('res-long', { credits: 1, ttlSeconds: 86_400 });
    expect(hold.status).toBe(201);
    expect(Date.parse(hold.body.expiresAt) - clock.now().getTime()).toBe(86_400 * SECOND);
  });

  it('leaves streams that pass the audit: every invariant holds at every revision', async () => {
    const accounts = [
      'res-partial',
      'res-full',
      'res-late',
      'res-release',
      'res-skip-expired',
      'res-protected',
      'res-limits',
      'res-long',
    ];
    for (const account of accounts) {
      const report = auditStream(account, (await eventsOf(account)) satisfies AuditedEvent[], {
        now: clock.now(),
      });
      expect({ account, violations: report.violations }).toEqual({ account, violations: [] });
      expect(report.closing).toMatchObject(
        await balanceOf(account).then(({ balance, available, reserved }) => ({
          balance,
          available,
          reserved,
        })),
      );
    }
  });
});
