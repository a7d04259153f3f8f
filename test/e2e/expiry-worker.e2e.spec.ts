import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { ManualClock } from '../../src/shared/clock';
import { WorkerRuntime } from '../../src/expiry/worker-runtime';
import { ProjectionWaiter } from '../../projections/nest/projection-waiter';
import { PROJECTIONS } from '../../projections/registry';
import { startTestApp, TEST_KEYS, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const HOUR = 3_600_000;
const grantKey = { key: TEST_KEYS.granter };

/**
 * The background expiry worker with a controlled clock: two app instances share one database and
 * both run worker rounds at once; every due block and hold is expired exactly once.
 */
describe('expiry worker', () => {
  let database: TestDatabase;
  let clock: ManualClock;
  let instances: TestApp[];

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 20 });
    clock = new ManualClock('2026-05-01T00:00:00.000Z');
    // A long interval: rounds run only when the test says so.
    const env = { WORKER_INTERVAL_MS: '3600000' };
    instances = [
      await startTestApp({ database, clock, env }),
      await startTestApp({ database, clock, env }),
    ];
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database.drop();
  });

  /** Waits until every projection has applied the write at `position`. */
  async function projected(position: string): Promise<void> {
    const waiter = instances[0].app.get(ProjectionWaiter);
    for (const projection of PROJECTIONS) {
      const outcome = await waiter.waitFor(projection.name, position, 10_000);
      expect(outcome).toMatchObject({ reached: true });
    }
  }

  async function bothWorkersRun() {
    return Promise.all(
      instances.map((instance) => instance.app.get(WorkerRuntime).worker.runOnce()),
    );
  }

  async function eventTypes(accountId: string): Promise<string[]> {
    const events = await instances[0].app
      .get<EventStore>(EVENT_STORE)
      .readStream(`credits-${accountId}`);
    return events.map((event) => event.type);
  }

  it('expires blocks on an idle account exactly once, even with two workers', async () => {
    const account = '/v1/accounts/idle-expiring';
    await instances[0].http.post(
      `${account}/grants`,
      {
        credits: 50,
        category: 'promotional',
        reason: 'promotion',
        expiresAt: new Date(clock.now().getTime() + HOUR).toISOString(),
      },
      grantKey,
    );
    await instances[0].http.post(
      `${account}/grants`,
      { credits: 20, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const spend = await instances[0].http.post(`${account}/spends`, {
      credits: 10,
      description: 'before expiry',
    });
    await projected(spend.body.position);

    await bothWorkersRun();
    expect(await eventTypes('idle-expiring')).not.toContain('CreditsExpired');

    clock.advance(2 * HOUR);
    const rounds = await bothWorkersRun();
    expect(rounds.reduce((sum, round) => sum + round.events, 0)).toBe(1);
    expect(
      (await eventTypes('idle-expiring')).filter((type) => type === 'CreditsExpired'),
    ).toHaveLength(1);
    const balance = await instances[1].http.get(`${account}/balance`);
    expect(balance.body).toMatchObject({ balance: 20, available: 20, revision: 3 });

    // Read models catch up; a later round finds nothing due.
    const last = (
      await instances[0].app.get<EventStore>(EVENT_STORE).readStream('credits-idle-expiring')
    ).at(-1)!;
    await projected(last.position);
    expect((await bothWorkersRun()).map((round) => round.accounts)).toEqual([0, 0]);
  });

  it('releases a hold past its deadline, and a late capture is refused', async () => {
    const account = '/v1/accounts/idle-holding';
    await instances[0].http.post(
      `${account}/grants`,
      { credits: 100, category: 'paid', reason: 'adjustment' },
      grantKey,
    );
    const hold = await instances[0].http.post(`${account}/reservations`, {
      credits: 30,
      ttlSeconds: 60,
      description: 'render',
    });
    expect(hold.body).toMatchObject({ available: 70, reserved: 30 });
    await projected(hold.body.position);

    clock.advance(2 * 60_000);
    const rounds = await bothWorkersRun();
    expect(rounds.reduce((sum, round) => sum + round.events, 0)).toBe(1);
    expect(await eventTypes('idle-holding')).toEqual([
      'CreditsGranted',
      'CreditsReserved',
      'ReservationReleased',
    ]);
    expect((await instances[1].http.get(`${account}/balance`)).body).toMatchObject({
      balance: 100,
      available: 100,
      reserved: 0,
    });

    const capture = await instances[1].http.post(
      `${account}/reservations/${hold.body.reservationId}/capture`,
      {},
    );
    expect(capture.status).toBe(409);
    expect(capture.body.code).toBe('reservation_expired');
  });

  it('expires at once the held credits that go back to a block that expired meanwhile', async () => {
    const account = '/v1/accounts/idle-both';
    await instances[0].http.post(
      `${account}/grants`,
      {
        credits: 40,
        category: 'promotional',
        reason: 'promotion',
        expiresAt: new Date(clock.now().getTime() + 30 * 60_000).toISOString(),
      },
      grantKey,
    );
    const hold = await instances[0].http.post(`${account}/reservations`, {
      credits: 25,
      ttlSeconds: 3600,
    });
    await projected(hold.body.position);

    clock.advance(2 * HOUR);
    await bothWorkersRun();
    const types = await eventTypes('idle-both');
    expect(types.filter((type) => type === 'ReservationReleased')).toHaveLength(1);
    expect(types.filter((type) => type === 'CreditsExpired')).toHaveLength(1);
    expect((await instances[0].http.get(`${account}/balance`)).body).toMatchObject({
      balance: 0,
      available: 0,
      reserved: 0,
    });
  });
});
