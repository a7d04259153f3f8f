import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../ledger/events';
import type { PlanChangeResult } from '../plans/plan-catalog';

/** Create (POST: `create`) or create-or-replace (PUT: `put`) a plan from a request body. */
export class SavePlan extends Command<PlanChangeResult> {
  constructor(
    readonly kind: 'create' | 'put',
    readonly body: unknown,
    readonly who: { actor: Actor; correlationId: string },
    /** PUT: the planId of the path. */
    readonly pathPlanId?: string,
  ) {
    super();
  }
}
