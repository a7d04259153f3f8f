import type { AuditedEvent } from '../../src/audit';
import type { LedgerCommand, LedgerEvent, LedgerState } from '../../src/ledger';
import { decide, evolve, initialState } from '../../src/ledger';
import { TEST_ACTOR } from '../ledger/fixtures';

/** Events numbered as a stream: revision = index. */
export function asStream(events: readonly LedgerEvent[]): AuditedEvent[] {
  return events.map((event, revision) => ({ ...event, revision }));
}

/**
 * Each event its own append (its own correlation id), as fixtures all share one. Events listed
 * together in an inner array share an append.
 */
export function appends(...groups: (LedgerEvent | LedgerEvent[])[]): AuditedEvent[] {
  const events = groups.flatMap((group, index) =>
    (Array.isArray(group) ? group : [group]).map((event) => ({
      ...event,
      metadata: { ...event.metadata, correlationId: `append-${index}` },
    })),
  );
  return asStream(events);
}

export interface Step {
  at: string;
  command: LedgerCommand;
}

/** Runs commands through the domain (decide + evolve) and returns the stream they write. */
export function streamOf(
  steps: readonly Step[],
  state: LedgerState = initialState(),
): AuditedEvent[] {
  const events: LedgerEvent[] = [];
  steps.forEach(({ at, command }, index) => {
    const decision = decide(command, state, {
      now: new Date(at),
      correlationId: `step-${index}`,
      actor: TEST_ACTOR,
    });
    if (decision.kind !== 'accepted')
      throw new Error(
        `step ${index} (${command.kind}) was not accepted: ${JSON.stringify(decision)}`,
      );
    for (const event of decision.events) {
      evolve(state, event);
      events.push(event);
    }
  });
  return asStream(events);
}
