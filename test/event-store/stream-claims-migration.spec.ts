import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClaimHeldElsewhereError,
  NO_STREAM_REVISION,
  type NewEvent,
} from '../../src/event-store/event-store.port';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { purchaseRefClaim } from '../../src/ledger/purchase-ref';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MIGRATION = join(__dirname, '../../migrations/1732240500000_stream-claims.sql');

function purchased(provider: string, providerRef: string): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CreditsPurchased',
    data: {
      blockId: randomUUID(),
      purchaseId: randomUUID(),
      credits: 10,
      amountPaid: { minor: 100, currency: 'USD' },
      provider,
      providerRef,
    },
    metadata: {
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: 'c',
      actor: { kind: 'system', id: 't' },
      schemaVersion: 1,
    },
  };
}

/** The migration that gave purchases recorded before claims existed their claims. */
describe('migration 1732240500000_stream-claims', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it("claims every recorded purchase's reference, the first in log order winning, in the code's own spelling", async () => {
    const store = new PostgresEventStore(db.pool);
    // History as the ledger could write it before: one reference credited on two accounts.
    await store.appendToStream(
      'credits-first',
      [purchased('stripe', 'pi_1'), purchased('manual', 'wire-9')],
      { expectedRevision: NO_STREAM_REVISION },
    );
    await store.appendToStream('credits-second', [purchased('stripe', 'pi_1')], {
      expectedRevision: NO_STREAM_REVISION,
    });
    await store.appendToStream('credits-third', [purchased('manual', 'pi_1')], {
      expectedRevision: NO_STREAM_REVISION,
    });
    await store.appendToStream('elsewhere-x', [purchased('stripe', 'pi_other')], {
      expectedRevision: NO_STREAM_REVISION,
    });

    // Run the migration's Up part as if those events were there when it ran.
    const up = readFileSync(MIGRATION, 'utf8').split('-- Down Migration')[0];
    await db.pool.query('DROP TABLE stream_claims');
    await db.pool.query(up);

    const { rows } = await db.pool.query<{ claim: string; stream_id: string }>(
      'SELECT claim, stream_id FROM stream_claims ORDER BY claim',
    );
    expect(rows).toEqual([
      { claim: purchaseRefClaim('manual', 'pi_1'), stream_id: 'credits-third' },
      { claim: purchaseRefClaim('manual', 'wire-9'), stream_id: 'credits-first' },
      { claim: purchaseRefClaim('stripe', 'pi_1'), stream_id: 'credits-first' },
    ]);
    const refused = await store
      .appendToStream('credits-new', [purchased('stripe', 'pi_1')], {
        expectedRevision: NO_STREAM_REVISION,
        claim: purchaseRefClaim('stripe', 'pi_1'),
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClaimHeldElsewhereError);
    expect(refused).toMatchObject({ holderStreamId: 'credits-first' });
  });
});
