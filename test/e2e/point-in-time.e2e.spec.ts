import { auditStream } from '../../src/audit';
import { ManualClock } from '../../src/shared/clock';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * The background expiry worker (role all) runs on a timer against the same clock; these tests prove
 * what the ledger does lazily, so it must not write in between. One round an hour: never, here.
 */
const NO_BACKGROUND_WORKER = { WORKER_INTERVAL_MS: '3600000' };

const grantKey = { key: TEST_KEYS.granter };
const finance = { key: TEST_KEYS.finance };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = '2026-03-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

/**
 * One account, written with a controlled clock; its balance is then asked at many instants and
 * compared with this hand-computed timeline (promo expires T0+2d, promo2 T0+1d, paid never):
 *
 *   T0        grant promo 100                         promo 100                      balance 100
 *   T0+1h     purchase paid 50                        promo 100, paid 50             150
 *   T0+2h     spend 120: promo 100, paid 20           paid 30                        30
 *   T0+3h     refund 40, last-drawn first: paid 20,   promo 20, paid 50              70
 *             then promo 20
 *   T0+4h     grant promo2 30                         promo 20, promo2 30, paid 50   100
 *   T0+5h     spend 10: promo2 first (soonest)        promo2 20                      90
 *   T0+6h     hold 15 for 1 h: from promo2            promo2 5, held 15              90 (available 75)
 *   T0+7h     the hold's deadline passes: nothing is written, the 15 count as back in promo2
 *   T0+1d     promo2 expires: nothing is written, its 20 are gone                    70
 *   T0+2d     promo expires: its 20 are gone                                         50
 *   T0+3d     spend 5: lazy expiry first writes the hold's release and both
 *             expiries, then the spend takes paid 5                                  45
 */
describe('balance at an instant (GET …/balance?at=)', () => {
  let t: TestApp;
  const clock = new ManualClock(T0);
  const account = '/v1/accounts/pit-1';
  const balanceAt = async (instant: string) => {
    const response = await t.http.get(`${account}/balance?at=${encodeURIComponent(instant)}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, env: NO_BACKGROUND_WORKER });
    const steps: [number, () => Promise<{ status: number }>][] = [
      [
        0,
        () =>
          t.http.post(
            `${account}/grants`,
            { credits: 100, category: 'promotional', reason: 'signup', expiresAt: at(2 * DAY) },
            grantKey,
          ),
      ],
      [
        HOUR,
        () =>
          t.http.post(
            `${account}/purchases`,
            { credits: 50, amountPaid: 500, currency: 'USD', providerRef: 'pi_pit_1' },
            grantKey,
          ),
      ],
      [2 * HOUR, () => t.http.post(`${account}/spends`, { credits: 120, description: 'render' })],
      [
        3 * HOUR,
        async () => {
          const history = await t.http.get(`${account}/events?fromRevision=2&limit=1`, finance);
          return t.http.post(`${account}/refunds`, {
            spendId: history.body.data[0].data.spendId,
            credits: 40,
            reason: 'failed',
          });
        },
      ],
      [
        4 * HOUR,
        () =>
          t.http.post(
            `${account}/grants`,
            { credits: 30, category: 'promotional', reason: 'promotion', expiresAt: at(DAY) },
            grantKey,
          ),
      ],
      [5 * HOUR, () => t.http.post(`${account}/spends`, { credits: 10, description: 'thumbnail' })],
      [6 * HOUR, () => t.http.post(`${account}/reservations`, { credits: 15, ttlSeconds: 3600 })],
      [3 * DAY, () => t.http.post(`${account}/spends`, { credits: 5, description: 'export' })],
    ];
    for (const [offset, step] of steps) {
      clock.set(at(offset));
      const response = await step();
      expect(response.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('writes the hand-computed stream', async () => {
    const events = (await t.http.get(`${account}/events`, finance)).body.data;
    expect(
      events.map((event: { type: string; metadata: { occurredAt: string } }) => [
        event.type,
        event.metadata.occurredAt,
      ]),
    ).toEqual([
      ['CreditsGranted', at(0)],
      ['CreditsPurchased', at(HOUR)],
      ['CreditsSpent', at(2 * HOUR)],
      ['CreditsRefunded', at(3 * HOUR)],
      ['CreditsGranted', at(4 * HOUR)],
      ['CreditsSpent', at(5 * HOUR)],
      ['CreditsReserved', at(6 * HOUR)],
      ['ReservationReleased', at(3 * DAY)],
      ['CreditsExpired', at(3 * DAY)],
      ['CreditsExpired', at(3 * DAY)],
      ['CreditsSpent', at(3 * DAY)],
    ]);
    expect(events[3].data.returnedTo.map((part: { credits: number }) => part.credits)).toEqual([
      20, 20,
    ]);
    expect(events[8].data.credits + events[9].data.credits).toBe(40);
  });

  const expected: [
    string,
    number,
    { balance: number; available: number; reserved: number; revision: number },
  ][] = [
    ['before the first event', -1, { balance: 0, available: 0, reserved: 0, revision: -1 }],
    [
      "at the first event's instant (included)",
      0,
      { balance: 100, available: 100, reserved: 0, revision: 0 },
    ],
    [
      'between the grant and the purchase',
      30 * MINUTE,
      { balance: 100, available: 100, reserved: 0, revision: 0 },
    ],
    ['after the purchase', HOUR + 1, { balance: 150, available: 150, reserved: 0, revision: 1 }],
    [
      'between the spend and the refund',
      2 * HOUR + 30 * MINUTE,
      { balance: 30, available: 30, reserved: 0, revision: 2 },
    ],
    ['at the refund', 3 * HOUR, { balance: 70, available: 70, reserved: 0, revision: 3 }],
    [
      'after the second grant',
      4 * HOUR + 30 * MINUTE,
      { balance: 100, available: 100, reserved: 0, revision: 4 },
    ],
    [
      'after the second spend',
      5 * HOUR + 30 * MINUTE,
      { balance: 90, available: 90, reserved: 0, revision: 5 },
    ],
    [
      'while the hold is open',
      6 * HOUR + 30 * MINUTE,
      { balance: 90, available: 75, reserved: 15, revision: 6 },
    ],
    [
      "at the hold's deadline (it counts as released)",
      7 * HOUR,
      { balance: 90, available: 90, reserved: 0, revision: 6 },
    ],
    [
      'a millisecond before promo2 expires',
      DAY - 1,
      { balance: 90, available: 90, reserved: 0, revision: 6 },
    ],
    [
      "at promo2's expiresAt (gone, though nothing was written)",
      DAY,
      { balance: 70, available: 70, reserved: 0, revision: 6 },
    ],
    [
      'between the two expiries',
      DAY + 12 * HOUR,
      { balance: 70, available: 70, reserved: 0, revision: 6 },
    ],
    [
      'after promo expired too',
      2 * DAY + HOUR,
      { balance: 50, available: 50, reserved: 0, revision: 6 },
    ],
    [
      'after the lazy expiry and the last spend',
      3 * DAY,
      { balance: 45, available: 45, reserved: 0, revision: 10 },
    ],
    ['later', 10 * DAY, { balance: 45, available: 45, reserved: 0, revision: 10 }],
  ];

  it.each(expected)('answers %s (T0 + %d ms)', async (_label, offset, numbers) => {
    expect(await balanceAt(at(offset))).toMatchObject({ accountId: 'pit-1', ...numbers });
  });

  it('lists the blocks as they were at the instant, in drawdown order', async () => {
    const midday = await balanceAt(at(6 * HOUR + 30 * MINUTE));
    expect(
      midday.blocks.map(
        (block: { category: string; remaining: number; expiresAt: string | null }) => [
          block.category,
          block.remaining,
          block.expiresAt,
        ],
      ),
    ).toEqual([
      ['promotional', 5, at(DAY)],
      ['promotional', 20, at(2 * DAY)],
      ['paid', 50, null],
    ]);
    const nextDay = await balanceAt(at(DAY + HOUR));
    expect(nextDay.blocks.map((block: { remaining: number }) => block.remaining)).toEqual([20, 50]);
    expect((await balanceAt(at(-1))).blocks).toEqual([]);
  });

  it('accepts any offset and answers the same instant', async () => {
    expect(await balanceAt('2026-03-01T17:30:00+03:00')).toMatchObject({
      balance: 30,
      revision: 2,
    });
  });

  it('agrees with the current balance once the clock is past every event', async () => {
    const now = (await t.http.get(`${account}/balance`)).body;
    expect(now).toEqual(await balanceAt(clock.now().toISOString()));
  });

  it('agrees with the audit of the raw events at every instant', async () => {
    const events = (await t.http.get(`${account}/events`, finance)).body.data;
    for (const [, offset] of expected) {
      const report = auditStream('pit-1', events, { now: clock.now(), at: new Date(at(offset)) });
      expect(report.violations).toEqual([]);
      const answer = await balanceAt(at(offset));
      expect({ offset, ...report.closing }).toEqual({
        offset,
        balance: answer.balance,
        available: answer.available,
        reserved: answer.reserved,
        revision: answer.revision,
        asOf: at(offset),
      });
    }
  });

  const refusesAt = async (bad: string) => {
    const response = await t.http.get(`${account}/balance?at=${encodeURIComponent(bad)}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'at' })],
    });
  };

  it.each(['yesterday', '2026-02-30T00:00:00Z', '2026-03-01T12:00:00+25:00'])(
    'refuses ?at=%s with 400',
    refusesAt,
  );

  // KNOWN BUG (src/accounts/http/dto/requests.ts, BalanceQuery, not this area): `at` is checked with
  // IsISO8601, which takes an instant without an offset. `2026-03-01T12:00:00` is then read by
  // `new Date()` in the server's local time zone, so the answer depends on the host's TZ, and a bare
  // date is silently midnight UTC. GET …/transactions refuses both (its `from`/`to` need a time and an
  // offset); ?at= should too. Remove `.failing` once BalanceQuery uses the same instant check.
  it.each(['2026-03-01T12:00:00', '2026-03-01'])('refuses ?at=%s (no offset) with 400', refusesAt);
});
