import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  EVENT_STORE,
  type EventStore,
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
} from '../../event-store/event-store.port';
import type { Referral } from '../../ledger/programs/referral-reward';
import { ReferralExistsError } from './errors';

/** A stream per referee: its first event registers the referral, so there is one per referee. */
export function referralStreamId(referee: string): string {
  return `referral-${referee}`;
}

/**
 * The referral streams (not `credits-` streams: the projections never see them). Registering
 * creates the stream (expected: no stream), which the event store lets only one writer do, across
 * processes; the reward is recorded after the registration (expected: revision 0), at most once.
 */
@Injectable()
export class ReferralStream {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async register(referral: Omit<Referral, 'rewarded'>, actorId: string): Promise<void> {
    try {
      await this.store.appendToStream(
        referralStreamId(referral.referee),
        [
          {
            eventId: randomUUID(),
            type: 'ReferralRegistered',
            data: { ...referral },
            metadata: { occurredAt: referral.registeredAt, actor: actorId },
          },
        ],
        { expectedRevision: NO_STREAM_REVISION },
      );
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError)
        throw new ReferralExistsError(referral.referee);
      throw error;
    }
  }

  async find(referee: string): Promise<Referral | null> {
    const events = await this.store.readStream(referralStreamId(referee), { maxCount: 2 });
    const registered = events.find((event) => event.type === 'ReferralRegistered');
    if (!registered) return null;
    const data = registered.data as unknown as Omit<Referral, 'rewarded'>;
    return {
      referrer: data.referrer,
      referee: data.referee,
      registeredAt: data.registeredAt,
      rewarded: events.some((event) => event.type === 'ReferralRewarded'),
    };
  }

  /** Records the reward; a second record (a replayed batch) is refused by the store and ignored. */
  async markRewarded(
    referee: string,
    purchaseId: string,
    credits: number,
    at: string,
  ): Promise<void> {
    try {
      await this.store.appendToStream(
        referralStreamId(referee),
        [
          {
            eventId: randomUUID(),
            type: 'ReferralRewarded',
            data: { purchaseId, credits },
            metadata: { occurredAt: at },
          },
        ],
        { expectedRevision: 0 },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
