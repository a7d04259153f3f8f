import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  EVENT_STORE,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import type { Actor } from '../../ledger/events';
import { Clock } from '../../shared/clock';
import { timeOrderedUuid } from '../../shared/time-ordered-uuid';
import {
  PlanCatalogConflictError,
  PlanExistsError,
  SubscriptionRequestInvalidError,
} from '../errors';
import type { Plan } from './plan';
import {
  EMPTY_PLAN_CATALOG,
  PLANS_SCHEMA_VERSION,
  PLANS_STREAM,
  decidePlan,
  foldPlans,
  type PlanCatalogState,
  type PlanCommand,
  type PlanSaved,
} from './plan-catalog-state';

/** Lost races of one change before 409 `concurrency_conflict` (each means another change landed). */
const MAX_CHANGE_ATTEMPTS = 5;

export interface PlanChangeResult {
  plan: Plan;
  created: boolean;
  /** Global position of the change; null when nothing changed. */
  position: string | null;
}

/**
 * The plan catalog on the event-store port (stream `subscription-plans`), like the credit-pack
 * catalog: folded here, brought up to date from the stream's tail at every use (one small read),
 * changed with optimistic concurrency on the stream's revision.
 */
@Injectable()
export class PlanCatalog {
  private readonly logger = new Logger(PlanCatalog.name);
  private state: PlanCatalogState = EMPTY_PLAN_CATALOG;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly clock: Clock,
  ) {}

  async current(): Promise<PlanCatalogState> {
    const known = this.state;
    const tail = await this.eventStore.readStream(PLANS_STREAM, {
      fromRevision: known.revision + 1,
    });
    const current = this.state;
    const fresh = tail.filter((event) => event.revision > current.revision);
    if (fresh.length > 0) this.state = foldPlans(current, fresh.map(toPlanEvent));
    return this.state;
  }

  async change(
    command: PlanCommand,
    who: { actor: Actor; correlationId: string },
  ): Promise<PlanChangeResult> {
    for (let attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt += 1) {
      const state = await this.current();
      const decision = decidePlan(state, command);
      if (decision.kind === 'exists') throw new PlanExistsError(decision.planId);
      if (decision.kind === 'full')
        throw new SubscriptionRequestInvalidError([
          { field: 'planId', message: `the catalog holds at most ${decision.limit} plans` },
        ]);
      if (!decision.event) return { plan: decision.plan, created: false, position: null };
      const event: PlanSaved = {
        ...decision.event,
        metadata: {
          occurredAt: this.clock.now().toISOString(),
          actor: who.actor,
          correlationId: who.correlationId,
          schemaVersion: PLANS_SCHEMA_VERSION,
        },
      };
      try {
        const appended = await this.eventStore.appendToStream(
          PLANS_STREAM,
          [
            {
              eventId: timeOrderedUuid(),
              type: event.type,
              data: event.data as unknown as Record<string, unknown>,
              metadata: event.metadata as unknown as Record<string, unknown>,
            },
          ],
          { expectedRevision: state.revision },
        );
        if (this.state.revision === state.revision) this.state = foldPlans(state, [event]);
        this.logger.log(
          { planId: decision.plan.planId, created: decision.created, actor: who.actor },
          'subscription plan saved',
        );
        return { plan: decision.plan, created: decision.created, position: appended.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    throw new PlanCatalogConflictError(MAX_CHANGE_ATTEMPTS);
  }
}

function toPlanEvent(recorded: RecordedEvent): PlanSaved {
  if (recorded.type !== 'PlanSaved' || recorded.metadata.schemaVersion !== PLANS_SCHEMA_VERSION)
    throw new Error(`${PLANS_STREAM}@${recorded.revision}: unknown event ${recorded.type}`);
  return recorded as unknown as PlanSaved;
}
