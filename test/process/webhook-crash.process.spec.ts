import { TEST_API_KEYS, TEST_KEYS } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { Receiver, eventually } from '../notifications/support/receiver';
import { ServiceProcess } from './support/service-process';

const MESSAGES = 20;

/**
 * Issue 14, "Reliability": kill -9 of the service while webhook deliveries are in flight; after a
 * restart every message is delivered (a receiver may see a webhook-id twice, never miss one).
 */
describe('webhook delivery across kill -9', () => {
  let database: TestDatabase;
  let receiver: Receiver;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    if (service && !service.hasExited) await service.stop('SIGKILL');
    await receiver.close();
    await database.drop();
  });

  const start = () =>
    ServiceProcess.start({
      env: {
        DATABASE_URL: database.connectionString,
        LEDGER_API_KEYS: TEST_API_KEYS,
        WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_TIMEOUT_MS: '3000',
        WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2',
        NOTIFICATIONS_POLL_MS: '20',
        PROJECTION_IDLE_POLL_MS: '20',
      },
    });

  it('delivers every message after a restart, none lost', async () => {
    service = await start();
    expect(service.listening).toBe(true);
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });
    const endpoint = await service.post(
      '/v1/webhook-endpoints',
      { url: receiver.url, events: ['credits.granted'] },
      auth(TEST_KEYS.admin),
    );
    expect(endpoint.status).toBe(201);
    // The receiver hangs: every attempt stays in flight until the process dies.
    receiver.answer = () => 'hang';
    for (let index = 0; index < MESSAGES; index += 1) {
      const granted = await service.post(
        `/v1/accounts/crash-${index}/grants`,
        { credits: 10, category: 'paid', reason: 'adjustment' },
        auth(TEST_KEYS.granter),
      );
      expect(granted.status).toBe(201);
    }
    await eventually(() => receiver.received.length >= 4, 20_000, 'deliveries in flight');
    service.child.kill('SIGKILL');
    await service.exited;

    receiver.answer = () => 200;
    service = await start();
    // The reactor may not have reached every grant before the kill: it resumes from its checkpoint.
    const rows = await eventually(
      async () => {
        const { rows: messages } = await database.pool.query<{ id: string }>(
          `SELECT id FROM notification_messages`,
        );
        return messages.length === MESSAGES ? messages : null;
      },
      30_000,
      'a message per grant',
    );
    const delivered = () =>
      new Set(
        receiver.received
          .filter((entry) => entry.answered === 200)
          .map((entry) => String(entry.headers['webhook-id'])),
      );
    await eventually(
      () => rows.every((row) => delivered().has(row.id)),
      30_000,
      'every message delivered after the restart',
    );
    // The receiver answers before the service records the answer: wait for the last records.
    await eventually(
      async () => {
        const { rows: statuses } = await database.pool.query<{ status: string; count: number }>(
          `SELECT status, count(*)::int AS count FROM webhook_deliveries GROUP BY status`,
        );
        return (
          statuses.length === 1 &&
          statuses[0].status === 'succeeded' &&
          statuses[0].count === MESSAGES
        );
      },
      10_000,
      'every delivery recorded as succeeded',
    );
    expect(await service.stop()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
