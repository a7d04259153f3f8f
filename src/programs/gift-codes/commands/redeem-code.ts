import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RedeemGiftCode } from '../../../accounts/commands';
import type { CallerContext } from '../../../accounts/write-path/caller-context';
import type { WriteOutcome } from '../../../accounts/write-path/write-outcome';
import { RateLimits } from '../../../http/rate-limits/rate-limits';
import type { GiftCodeRedeemed } from '../../../ledger/events';
import { Clock } from '../../../shared/clock';
import { newId } from '../../../shared/ids';
import {
  GiftCodeAlreadyRedeemedError,
  GiftCodeExpiredError,
  GiftCodeNotFoundError,
} from '../errors';
import { canonicalGiftCode, giftCodeHash } from '../gift-code-text';
import { GiftCodeStore } from '../gift-code-store';

export interface RedeemedCode {
  outcome: WriteOutcome;
  redeemed: GiftCodeRedeemed;
}

/** Redeem a gift code (as typed) into an account. */
export class RedeemCode extends Command<RedeemedCode> {
  constructor(
    readonly accountId: string,
    readonly code: string,
    readonly context: CallerContext,
  ) {
    super();
  }
}

/**
 * PRODUCT.md §2: guessing is limited per account (only wrong codes count; once the limit is
 * reached every try waits for the window to end); an expired code is 410; a code is redeemed once,
 * ledger-wide, by the redemption's own append (its claim), so concurrent redemptions have one winner.
 */
@CommandHandler(RedeemCode)
export class RedeemCodeHandler implements ICommandHandler<RedeemCode, RedeemedCode> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly store: GiftCodeStore,
    private readonly limits: RateLimits,
    private readonly clock: Clock,
  ) {}

  async execute({ accountId, code, context }: RedeemCode): Promise<RedeemedCode> {
    const exhausted = await this.limits.missesExhausted('giftCodeGuesses', accountId);
    if (exhausted) throw exhausted;
    const canonical = canonicalGiftCode(code);
    const stored = canonical === null ? null : await this.store.find(giftCodeHash(canonical));
    if (stored === null || stored.status !== 'active' || stored.parts === null) {
      await this.limits.recordMiss('giftCodeGuesses', accountId);
      throw new GiftCodeNotFoundError();
    }
    const now = this.clock.now();
    if (stored.expiresAt !== null && Date.parse(stored.expiresAt) <= now.getTime())
      throw new GiftCodeExpiredError(stored.expiresAt);
    // Another account's redemption is known here already; this account's own goes to the ledger,
    // which answers a retry with the same Idempotency-Key, or refuses a second redemption.
    if (stored.redeemedBy !== null && stored.redeemedBy !== accountId)
      throw new GiftCodeAlreadyRedeemedError();
    const outcome: WriteOutcome = await this.commandBus.execute(
      new RedeemGiftCode(
        accountId,
        {
          kind: 'redeem-gift-code',
          codeHash: stored.codeHash,
          parts: stored.parts,
          blockIds: stored.parts.map(() => newId('block')),
          ...(stored.fundedBy !== null && { fundedBy: stored.fundedBy }),
        },
        context,
      ),
    );
    await this.store.noteRedeemed(stored.codeHash, accountId, now);
    const redeemed = outcome.events.find(
      (event): event is GiftCodeRedeemed => event.type === 'GiftCodeRedeemed',
    )!;
    return { outcome, redeemed };
  }
}
