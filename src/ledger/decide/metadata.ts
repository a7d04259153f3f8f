import type { CommandContext } from '../commands';
import type { Actor, LedgerEventMetadata } from '../events';
import { CURRENT_SCHEMA_VERSION } from '../events';

/** Who lazy expiry is written as: no caller asked for it, the clock did. */
export const EXPIRY_ACTOR: Readonly<Actor> = Object.freeze({ kind: 'system', id: 'expiry' });

/** Metadata of the command's own events: they carry the idempotency key and request hash. */
export function commandMetadata(context: CommandContext): LedgerEventMetadata {
  return {
    ...sharedMetadata(context, context.actor),
    ...(context.idempotencyKey !== undefined && { idempotencyKey: context.idempotencyKey }),
    ...(context.requestHash !== undefined && { requestHash: context.requestHash }),
  };
}

/**
 * Metadata of lazy expiry events. No idempotency key: they are not the command's answer, and a
 * replay must not find them as the command's first event.
 */
export function expiryMetadata(context: CommandContext): LedgerEventMetadata {
  return sharedMetadata(context, EXPIRY_ACTOR);
}

function sharedMetadata(context: CommandContext, actor: Actor): LedgerEventMetadata {
  return {
    occurredAt: context.now.toISOString(),
    correlationId: context.correlationId,
    ...(context.causationId !== undefined && { causationId: context.causationId }),
    actor: { kind: actor.kind, id: actor.id },
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
}
