import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Plan } from '../plans/plan';
import { PlanCatalog } from '../plans/plan-catalog';
import { ListPlans } from './list-plans.query';

@QueryHandler(ListPlans)
export class ListPlansHandler implements IQueryHandler<ListPlans, { data: Plan[] }> {
  constructor(private readonly plans: PlanCatalog) {}

  async execute(): Promise<{ data: Plan[] }> {
    const catalog = await this.plans.current();
    return { data: [...catalog.plans.values()] };
  }
}
