import { randomUUID } from 'node:crypto';
import {
  LEDGER_STREAM_PREFIXES,
  copyLedgerStreams,
} from '../../src/cli/commands/copy-ledger-streams';
import {
  NO_STREAM_REVISION,
  type EventStore,
  type NewEvent,
} from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { CREDIT_PACKS_STREAM } from '../../src/payments/catalog/catalog-events';
import { RATE_CARD_STREAM } from '../../src/pricing/rate-card-stream';

function event(type: string, n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: { n },
    metadata: { occurredAt: '2026-01-01T00:00:00Z' },
  };
}

async function append(store: EventStore, streamId: string, events: NewEvent[]): Promise<void> {
  await store.appendToStream(streamId, events, { expectedRevision: NO_STREAM_REVISION });
}

// `ledger copy-events` moves a store: the rate card's versions and the pack catalog must come
// along with the accounts, or the new store starts from the default card and a fresh seed.
describe('copyLedgerStreams', () => {
  it('copies the accounts, the rate card and the pack catalog, and nothing else', async () => {
    const source = new InMemoryEventStore();
    await append(source, 'credits-a', [event('CreditsGranted', 1), event('CreditsSpent', 2)]);
    await append(source, RATE_CARD_STREAM, [event('RateCardPublished', 1)]);
    await append(source, CREDIT_PACKS_STREAM, [event('CreditPackSaved', 1)]);
    await append(source, 'something-else', [event('Unrelated', 1)]);
    const target = new InMemoryEventStore();

    const first = await copyLedgerStreams(source, target, { batchSize: 1 });
    expect(first).toMatchObject({ copied: 4, skipped: 0 });
    for (const streamId of ['credits-a', RATE_CARD_STREAM, CREDIT_PACKS_STREAM]) {
      expect((await target.readStream(streamId)).map((e) => e.eventId)).toEqual(
        (await source.readStream(streamId)).map((e) => e.eventId),
      );
    }
    expect(await target.readStream('something-else')).toEqual([]);

    // A rerun writes nothing.
    expect(await copyLedgerStreams(source, target, { batchSize: 2 })).toMatchObject({
      copied: 0,
      skipped: 4,
    });
  });

  it('names every kind of stream the service writes', () => {
    expect(LEDGER_STREAM_PREFIXES).toEqual([
      'credits-',
      'rate-card',
      'credit-packs',
      'subscription-plans',
    ]);
  });
});
