import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SubscriptionRequestInvalidError } from '../errors';
import { PlanCatalog, type PlanChangeResult } from '../plans/plan-catalog';
import { parsePlan } from '../plans/plan-rules';
import { SavePlan } from './save-plan.command';

@CommandHandler(SavePlan)
export class SavePlanHandler implements ICommandHandler<SavePlan, PlanChangeResult> {
  constructor(private readonly plans: PlanCatalog) {}

  execute({ kind, body, who, pathPlanId }: SavePlan): Promise<PlanChangeResult> {
    const parsed = parsePlan(body, pathPlanId);
    if ('problems' in parsed) throw new SubscriptionRequestInvalidError(parsed.problems);
    return this.plans.change({ kind, plan: parsed.plan }, who);
  }
}
