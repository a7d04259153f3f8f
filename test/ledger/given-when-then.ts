import type {
  CommandContext,
  Decision,
  IdempotencyRecord,
  LedgerCommand,
  LedgerEvent,
  LedgerOptions,
  LedgerState,
  Rejection,
} from '../../src/ledger';
import { decide, evolve, initialState } from '../../src/ledger';
import { TEST_ACTOR } from './fixtures';
import { expectInvariantsAlong } from './invariants';

/**
 * Specs read `given(events…).when(command, { now }).then(expectedEvents…)`. The state handed to
 * `decide` is deep-frozen, so every spec also checks that deciding never mutates the state.
 * `then` compares type and data (metadata has its own specs) and checks the invariants after each
 * new event.
 */
export function given(...history: LedgerEvent[]): Given {
  return new Given(history);
}

export type WhenContext = Partial<Omit<CommandContext, 'now'>> & { now: string | Date };

export class Given {
  private options: Partial<LedgerOptions> = {};

  constructor(readonly history: LedgerEvent[]) {}

  withOptions(options: Partial<LedgerOptions>): this {
    this.options = options;
    return this;
  }

  /** The folded history, deep-frozen. */
  state(): LedgerState {
    const state = initialState(this.options);
    for (const event of this.history) evolve(state, event);
    return deepFreeze(state);
  }

  when(command: LedgerCommand, context: WhenContext): Then {
    const state = this.state();
    const decision = decide(command, state, contextOf(context));
    return new Then(this.history, state, decision);
  }
}

export function contextOf({ now, ...rest }: WhenContext): CommandContext {
  return { correlationId: 'corr-when', actor: TEST_ACTOR, ...rest, now: new Date(now) };
}

export class Then {
  constructor(
    readonly history: readonly LedgerEvent[],
    readonly stateBefore: LedgerState,
    readonly decision: Decision,
  ) {}

  /** Accepted with exactly these events (type and data), in order. Returns the events written. */
  then(...expected: LedgerEvent[]): LedgerEvent[] {
    const events = this.acceptedEvents();
    expect(events.map(typeAndData)).toEqual(expected.map(typeAndData));
    expectInvariantsAlong(events, this.stateBefore);
    return events;
  }

  thenRejects(rejection: Partial<Rejection> & { code: Rejection['code'] }): Rejection {
    expect(this.decision).toMatchObject({ kind: 'rejected', rejection });
    return (this.decision as Extract<Decision, { kind: 'rejected' }>).rejection;
  }

  thenReplays(record?: Partial<IdempotencyRecord>): IdempotencyRecord {
    expect(this.decision).toMatchObject({ kind: 'replayed', ...(record && { record }) });
    return (this.decision as Extract<Decision, { kind: 'replayed' }>).record;
  }

  thenNoop(noop: Partial<Extract<Decision, { kind: 'noop' }>>): void {
    expect(this.decision).toMatchObject({ kind: 'noop', ...noop });
  }

  /** The state after the accepted events, folded onto a copy. */
  stateAfter(): LedgerState {
    return expectInvariantsAlong(this.acceptedEvents(), this.stateBefore);
  }

  acceptedEvents(): LedgerEvent[] {
    expect(this.decision).toMatchObject({ kind: 'accepted' });
    return (this.decision as Extract<Decision, { kind: 'accepted' }>).events;
  }
}

function typeAndData(event: LedgerEvent): Pick<LedgerEvent, 'type' | 'data'> {
  return { type: event.type, data: event.data };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
