import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../../../projections/nest/projections.module';
import { ReactorRegistry } from '../../../projections/nest/reactor-registry';
import { ProblemCatalog } from '../../http/errors/problem-catalog';
import { RegisterReferralHandler } from './commands/register-referral';
import { ReferralsController } from './http/referrals.controller';
import { REFERRAL_PROBLEMS } from './referral-problems';
import { ReferralRewardReactor } from './referral-reward.reactor';
import { ReferralStream } from './referral-stream';

/**
 * Referrals (PRODUCT.md §2, docs/programs.md "Referrals"): a referral is a stream per referee; the
 * reward is a reactor on the global log (run by the projector roles) that sends two grants.
 */
@Module({
  imports: [ProjectionsModule],
  controllers: [ReferralsController],
  providers: [ReferralStream, RegisterReferralHandler, ReferralRewardReactor],
})
export class ReferralsModule {
  constructor(problems: ProblemCatalog, reactors: ReactorRegistry, reward: ReferralRewardReactor) {
    problems.register(REFERRAL_PROBLEMS);
    reactors.register(reward);
  }
}
