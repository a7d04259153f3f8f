import { LedgerInvariantError } from '../errors';

/**
 * Ids of what a command creates are chosen by the application (UUIDs), so a clash is a bug there,
 * not a client error: writing it would silently overwrite history in the state.
 */
export function assertUnusedId(existing: Record<string, unknown>, id: string, what: string): void {
  if (Object.hasOwn(existing, id))
    throw new LedgerInvariantError(`${what} ${id} already exists on this account`);
}
