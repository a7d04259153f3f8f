import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Projection, ProjectedEvent } from '../../../projections/projection';
import { GrantCredits } from '../../accounts/commands';
import { LedgerRejectedError } from '../../accounts/write-path/errors';
import { AppConfig } from '../../config/app-config';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import type { CreditsPurchased } from '../../ledger/events';
import { streamIdFor } from '../../ledger/limits';
import { referralGrants, rewardIsDue } from '../../ledger/programs/referral-reward';
import { newId } from '../../shared/ids';
import { ReferralStream } from './referral-stream';

/** Events of the referee's stream read per round trip while looking for an earlier purchase. */
const PAGE_SIZE = 500;
const REFERRALS_ACTOR = { kind: 'system', id: 'referrals' } as const;

/**
 * The referral reward (PRODUCT.md §2), a reactor on the global log: for each purchase, if its
 * account is a referee whose referral is not rewarded yet and this is its first purchase, both
 * sides get REFERRAL_CREDITS. Effects are idempotent, because a batch is applied again after a
 * crash: each grant carries an Idempotency-Key derived from the referral (the accounts answer a
 * repeat instead of granting again), and the reward is then recorded on the referral's stream
 * (ReferralRewarded), after which the referral is never looked at again. A refund or reversal of
 * the purchase later takes nothing back (docs/programs.md).
 */
@Injectable()
export class ReferralRewardReactor implements Projection {
  readonly name = 'referral-rewards';
  readonly tables: readonly string[] = [];
  readonly description = 'referral rewards: grants both sides at the referee’s first purchase';
  readonly affectedBy = (projected: ProjectedEvent): boolean =>
    projected.event.type === 'CreditsPurchased';
  private readonly logger = new Logger('ReferralRewards');

  constructor(
    private readonly commandBus: CommandBus,
    private readonly referrals: ReferralStream,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly config: AppConfig,
  ) {}

  async apply(_client: unknown, events: readonly ProjectedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.event.type !== 'CreditsPurchased') continue;
      await this.onPurchase(event, event.event);
    }
  }

  private async onPurchase(event: ProjectedEvent, purchase: CreditsPurchased): Promise<void> {
    const referral = await this.referrals.find(event.accountId);
    if (referral === null || referral.rewarded) return;
    const due = rewardIsDue(referral, {
      purchaseId: purchase.data.purchaseId,
      occurredAt: purchase.metadata.occurredAt,
      earlierPurchases: await this.purchasesBefore(event.accountId, event.revision),
    });
    if (!due) return;
    const credits = this.config.referralCredits;
    const grants = referralGrants(referral, credits, {
      referrer: newId('block'),
      referee: newId('block'),
    });
    for (const grant of grants) {
      try {
        await this.commandBus.execute(
          new GrantCredits(grant.accountId, grant.command, {
            correlationId: `referral:${referral.referee}`,
            causationId: event.eventId,
            actor: REFERRALS_ACTOR,
            idempotencyKey: grant.idempotencyKey,
            // Fixed per referral: a repeat (same key, same hash) is a replay, whatever its block id.
            requestHash: `referral:${referral.referee}:${credits}`,
          }),
        );
      } catch (error) {
        // A refusal (an account at its balance limit) will not pass by retrying: noted, not retried.
        if (!(error instanceof LedgerRejectedError)) throw error;
        this.logger.warn(
          { accountId: grant.accountId, rejection: error.rejection.code },
          'referral credits refused by the ledger',
        );
      }
    }
    await this.referrals.markRewarded(
      referral.referee,
      purchase.data.purchaseId,
      credits,
      purchase.metadata.occurredAt,
    );
  }

  /** Purchases in the referee's stream before `revision` (usually a new account: a short read). */
  private async purchasesBefore(accountId: string, revision: number): Promise<number> {
    let count = 0;
    for (let from = 0; from < revision; from += PAGE_SIZE) {
      const page = await this.store.readStream(streamIdFor(accountId), {
        fromRevision: from,
        maxCount: Math.min(PAGE_SIZE, revision - from),
      });
      count += page.filter((recorded) => recorded.type === 'CreditsPurchased').length;
      if (count > 0 || page.length === 0) break;
    }
    return count;
  }
}
