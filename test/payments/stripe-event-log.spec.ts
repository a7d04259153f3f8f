import type { Database } from '../../src/database/database';
import { StripeEventLog } from '../../src/payments/stripe-event-log';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const NOW = new Date('2026-03-01T12:00:00.000Z');

// Two deliveries of one event may run at once; the one that wrote to the ledger can finish after
// the one that found the write already done. The row must say what the event did.
describe('StripeEventLog.settle', () => {
  let database: TestDatabase;
  let log: StripeEventLog;
  beforeAll(async () => {
    database = await createTestDatabase();
    log = new StripeEventLog({ pool: database.pool } as unknown as Database);
  });
  afterAll(() => database.drop());

  async function receivedEvent(eventId: string): Promise<void> {
    await log.receive(
      { eventId, type: 'charge.dispute.closed', livemode: false, apiVersion: null, createdAt: NOW },
      NOW,
    );
  }

  it.each(['credited', 'reversed', 'reinstated'] as const)(
    "'%s' settled after 'duplicate' is what the row keeps",
    async (outcome) => {
      const eventId = `evt_late_writer_${outcome}`;
      await receivedEvent(eventId);
      await log.settle(eventId, { outcome: 'duplicate' }, NOW);
      await log.settle(eventId, { outcome }, NOW);
      expect((await log.find(eventId))?.outcome).toBe(outcome);
    },
  );

  it("a final outcome is kept against a later 'duplicate' or 'ignored'", async () => {
    const eventId = 'evt_final_kept';
    await receivedEvent(eventId);
    await log.settle(eventId, { outcome: 'reinstated' }, NOW);
    await log.settle(eventId, { outcome: 'duplicate' }, NOW);
    await log.settle(eventId, { outcome: 'ignored' }, NOW);
    expect((await log.find(eventId))?.outcome).toBe('reinstated');
  });
});
