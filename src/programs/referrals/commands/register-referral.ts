import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../../config/app-config';
import { Clock } from '../../../shared/clock';
import { SelfReferralError } from '../errors';
import { ReferralStream } from '../referral-stream';

export interface RegisteredReferral {
  referrer: string;
  referee: string;
  /** What each side gets when the referee's first purchase lands (REFERRAL_CREDITS). */
  credits: number;
  status: 'pending';
  registeredAt: string;
}

/** Register `referee` as referred by `referrer`: once per referee, ever. */
export class RegisterReferral extends Command<RegisteredReferral> {
  constructor(
    readonly referrer: string,
    readonly referee: string,
    readonly actorId: string,
  ) {
    super();
  }
}

@CommandHandler(RegisterReferral)
export class RegisterReferralHandler implements ICommandHandler<
  RegisterReferral,
  RegisteredReferral
> {
  constructor(
    private readonly stream: ReferralStream,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async execute({ referrer, referee, actorId }: RegisterReferral): Promise<RegisteredReferral> {
    if (referrer === referee) throw new SelfReferralError();
    const registeredAt = this.clock.now().toISOString();
    await this.stream.register({ referrer, referee, registeredAt }, actorId);
    return {
      referrer,
      referee,
      credits: this.config.referralCredits,
      status: 'pending',
      registeredAt,
    };
  }
}
