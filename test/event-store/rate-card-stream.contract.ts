import {
  WrongExpectedRevisionError,
  type EventStore,
} from '../../src/event-store/event-store.port';
import { STREAM_PREFIX } from '../../src/ledger/limits';
import { RATE_CARD_STREAM } from '../../src/pricing/rate-card-stream';
import { operation } from '../pricing/fixtures';
import { pricingProcess } from '../pricing/support';
import {
  LogReader,
  markPosition,
  newEvent,
  readUntilSeen,
  uniquePrefix,
} from './support/event-store-kit';

/**
 * The rate card's stream (src/pricing/rate-card-stream.ts) on the adapter, through the pricing
 * feature's own code (part of describeEventStoreContract). A stream that is not an account's: it
 * must read back by version (one event each), refuse a publication decided on an old version, and
 * stay out of the `credits-` log the projectors read, while an unfiltered read of the log has it.
 * Against a long-lived server the stream may already hold versions: the tests count from the
 * newest one they find.
 */
export function describeRateCardStreamContract(store: () => EventStore): void {
  describe('the rate-card stream (a stream that is not an account)', () => {
    it('reads published cards back by version, with their metadata, from any process', async () => {
      const publisher = pricingProcess(store());
      const before = (await publisher.cards.newest()).version;
      const first = await publisher.publish([operation('render')], 'contract');
      const second = await publisher.publish(
        [
          operation('video-export', {
            pricing: {
              base: 0,
              perUnit: 3,
              unitSize: 60,
              minimum: 5,
              multiplier: { resolution: { '720p': 1, '1080p': 1.5, '4k': 4.125 } },
            },
          }),
        ],
        'contract',
      );
      expect([first.version, second.version]).toEqual([before + 1, before + 2]);

      const events = await store().readStream(RATE_CARD_STREAM, { fromRevision: before });
      expect(
        events.map(({ streamId, revision, type, data, metadata }) => ({
          streamId,
          revision,
          type,
          data,
          actor: metadata.actor,
        })),
      ).toEqual([
        {
          streamId: RATE_CARD_STREAM,
          revision: before,
          type: 'RateCardPublished',
          data: first,
          actor: { kind: 'admin', id: 'contract' },
        },
        {
          streamId: RATE_CARD_STREAM,
          revision: before + 1,
          type: 'RateCardPublished',
          data: second,
          actor: { kind: 'admin', id: 'contract' },
        },
      ]);
      expect(await store().streamRevision(RATE_CARD_STREAM)).toBe(before + 1);

      const reader = pricingProcess(store());
      await expect(reader.cards.version(first.version)).resolves.toEqual(first);
      await expect(reader.cards.current()).resolves.toEqual(second);
      await expect(reader.cards.version(second.version + 1)).resolves.toBeNull();
    });

    it('refuses a publication decided on an older version, writing nothing', async () => {
      const publisher = pricingProcess(store());
      const stale = await publisher.cards.newest();
      await publisher.publish([operation('render')]);
      const revision = await store().streamRevision(RATE_CARD_STREAM);
      const event = {
        type: 'RateCardPublished' as const,
        data: {
          version: stale.version + 1,
          operations: [operation('late')],
          publishedAt: new Date().toISOString(),
        },
      };
      await expect(
        publisher.stream.append(stale, event, {
          correlationId: 'late',
          actor: { kind: 'admin', id: 'late' },
        }),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store().streamRevision(RATE_CARD_STREAM)).toBe(revision);
    });

    it(`is not in the ${STREAM_PREFIX} log the projectors read; an unfiltered read has it`, async () => {
      const prefix = uniquePrefix('rate-card-log');
      const start = await markPosition(store(), prefix);
      const before = await store().streamRevision(RATE_CARD_STREAM);
      await pricingProcess(store()).publish([operation('render')]);
      const [published] = await store().readStream(RATE_CARD_STREAM, { fromRevision: before + 1 });
      // An account's event after the card: once a reader has it, it has passed the card too.
      const account = newEvent('CreditsGranted', { credits: 1 });
      await store().appendToStream(`${STREAM_PREFIX}${prefix}account`, [account], {
        expectedRevision: 'any',
      });

      const accounts = new LogReader(store(), start, { streamPrefix: STREAM_PREFIX });
      await readUntilSeen(accounts, [account.eventId], STREAM_PREFIX);
      expect(accounts.seen.filter((event) => !event.streamId.startsWith(STREAM_PREFIX))).toEqual(
        [],
      );
      expect(accounts.seenIds()).not.toContain(published.eventId);

      const everything = new LogReader(store(), start);
      const seen = await readUntilSeen(
        everything,
        [published.eventId, account.eventId],
        RATE_CARD_STREAM,
      );
      expect(seen.map((event) => event.eventId)).toContain(published.eventId);
    });
  });
}
