import { ProjectionWaiter } from '../../../projections/nest/projection-waiter';
import { verifyReadModels } from '../../../projections/ops/verify';
import { PROJECTIONS } from '../../../projections/registry';
import { auditStream } from '../../../src/audit/audit';
import { DATABASE, type Database } from '../../../src/database/database';
import { EVENT_STORE, type EventStore } from '../../../src/event-store/event-store.port';
import { streamIdFor } from '../../../src/ledger/limits';
import type { TestApp } from '../../support/test-app';

/**
 * After a program's writes: every projection caught up, `ledger verify` finds 0 differences for
 * these accounts, and the audit of each stream finds no violation (both understand the new events).
 */
export async function expectLedgerConsistent(
  t: TestApp,
  accountIds: readonly string[],
  lastPosition: string,
): Promise<void> {
  const waiter = t.app.get(ProjectionWaiter);
  for (const projection of PROJECTIONS)
    expect(await waiter.waitFor(projection.name, lastPosition, 10_000)).toMatchObject({
      reached: true,
    });
  const eventStore = t.app.get<EventStore>(EVENT_STORE);
  const report = await verifyReadModels({
    pool: t.app.get<Database>(DATABASE).pool,
    eventStore,
    listAccounts: () => Promise.resolve([...accountIds]),
  });
  expect(report.disagreements).toEqual([]);
  for (const accountId of accountIds) {
    const events = await eventStore.readStream(streamIdFor(accountId));
    const audit = auditStream(accountId, events, { now: t.clock.now() });
    expect({ accountId, violations: audit.violations }).toEqual({ accountId, violations: [] });
  }
}
