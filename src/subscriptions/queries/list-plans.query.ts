import { Query } from '@nestjs/cqrs';
import type { Plan } from '../plans/plan';

export class ListPlans extends Query<{ data: Plan[] }> {}
