import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WelcomeCredits } from '../../accounts/commands';
import type { CallerContext } from '../../accounts/write-path/caller-context';
import type { WriteOutcome } from '../../accounts/write-path/write-outcome';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { welcomePolicyFor } from './welcome-policy';

/** POST /v1/accounts/{accountId}/welcome. */
export class GiveWelcome extends Command<WriteOutcome> {
  constructor(
    readonly accountId: string,
    readonly context: CallerContext,
  ) {
    super();
  }
}

/**
 * Picks the policy by the account id and sends the grant to the account, whose stream decides
 * "once ever" (src/ledger/decide/welcome-credits.ts): a repeat comes back as the first grant,
 * `replayed`. The expiry is counted from the clock here; a repeat keeps the first one's.
 */
@CommandHandler(GiveWelcome)
export class GiveWelcomeHandler implements ICommandHandler<GiveWelcome, WriteOutcome> {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  execute({ accountId, context }: GiveWelcome): Promise<WriteOutcome> {
    const policy = welcomePolicyFor(accountId, this.config, this.clock.now());
    return this.commandBus.execute(
      new WelcomeCredits(
        accountId,
        {
          kind: 'welcome',
          blockId: newId('block'),
          credits: policy.credits,
          reason: policy.reason,
          expiresAt: policy.expiresAt,
          description: policy.reason === 'lead' ? 'Lead credits' : 'Welcome credits',
        },
        context,
      ),
    );
  }
}
