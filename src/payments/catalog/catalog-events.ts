import type { Actor } from '../../ledger/events';
import type { CreditPack, PackField } from './credit-pack';

/**
 * The catalog's stream: every change to the pack catalog, who made it, when and what. One stream
 * for the whole catalog, so the optimistic concurrency of its revision orders every change (two
 * admins saving at once: one retries on the other's result) and `catalogRevision` names a version
 * of the whole catalog, which is what a Checkout Session records.
 *
 * Not `credits-…`: the projectors, the audit CLI and copy-events read those streams as accounts.
 */
export const CREDIT_PACKS_STREAM = 'credit-packs';

export const CATALOG_SCHEMA_VERSION = 1;

export interface CatalogEventMetadata {
  occurredAt: string;
  /** Who: the API key (kind `admin`) or `system` for the seed. */
  actor: Actor;
  /** The request id of the change (or `seed`). */
  correlationId: string;
  idempotencyKey?: string;
  requestHash?: string;
  schemaVersion: number;
}

export interface CreditPackSavedData {
  /** The pack as it is after the change (the whole pack: the event alone says what it became). */
  pack: CreditPack;
  /** True for the pack's first event. */
  created: boolean;
  /** What this change changed (every field when created). */
  changed: PackField[];
  /** Where a seeded pack came from: CREDIT_PACKS, or the built-in default catalog. */
  seededFrom?: 'CREDIT_PACKS' | 'default';
}

export interface CreditPackRetiredData {
  packId: string;
  /** The pack after retirement (active: false); every other field as it was. */
  pack: CreditPack;
}

export type CatalogEvent =
  | { type: 'CreditPackSaved'; data: CreditPackSavedData; metadata: CatalogEventMetadata }
  | { type: 'CreditPackRetired'; data: CreditPackRetiredData; metadata: CatalogEventMetadata };

export const CATALOG_EVENT_TYPES: ReadonlyArray<CatalogEvent['type']> = [
  'CreditPackSaved',
  'CreditPackRetired',
];

export function isCatalogEventType(type: string): type is CatalogEvent['type'] {
  return (CATALOG_EVENT_TYPES as readonly string[]).includes(type);
}
