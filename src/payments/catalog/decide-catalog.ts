import type { Actor } from '../../ledger/events';
import { PACK_FIELDS, changedFields, type CreditPack } from './credit-pack';
import {
  CATALOG_SCHEMA_VERSION,
  type CatalogEvent,
  type CatalogEventMetadata,
  type CreditPackSavedData,
} from './catalog-events';
import {
  CatalogIdempotencyKeyReusedError,
  CreditPackExistsError,
  CreditPackInvalidError,
  CreditPackNotFoundError,
} from './catalog-errors';
import { activePackCount, type CatalogState } from './catalog-state';
import { MAX_ACTIVE_PACKS, MAX_CATALOG_PACKS, packProblems } from './pack-rules';

/** A change to the catalog, as an admin asks for it. */
export type CatalogCommand =
  /** POST: a new pack; its id must be free (a retired pack still holds its id). */
  | { kind: 'create'; pack: CreditPack }
  /** PUT: the whole pack, created if its id is new, else replaced. */
  | { kind: 'put'; pack: CreditPack }
  /** DELETE: the pack stops being sold; it stays in the catalog and its history. */
  | { kind: 'retire'; packId: string };

export interface CatalogChangeContext {
  now: Date;
  actor: Actor;
  correlationId: string;
  idempotencyKey?: string;
  /** What was asked, hashed: a repeat of the Idempotency-Key must ask the same. */
  requestHash?: string;
}

export interface CatalogDecision {
  /** What to append (none: nothing changes, e.g. a PUT of the pack as it is). */
  events: CatalogEvent[];
  /** The pack after the change, or as it already was. */
  pack: CreditPack;
  /** The change created the pack (201), or a repeat of the one that did. */
  created: boolean;
}

/**
 * Decides a change from the catalog as folded (pure: no clock but `context.now`, no I/O). Throws
 * the catalog's errors for a change it refuses; nothing is then written.
 */
export function decideCatalog(
  state: CatalogState,
  command: CatalogCommand,
  context: CatalogChangeContext,
): CatalogDecision {
  const replay = repeatedChange(state, context);
  if (replay) return replay;
  const metadata = metadataOf(context);
  if (command.kind === 'retire') {
    const entry = state.packs.get(command.packId);
    if (!entry) throw new CreditPackNotFoundError(command.packId);
    if (!entry.pack.active) return { events: [], pack: entry.pack, created: false };
    const pack: CreditPack = { ...entry.pack, active: false };
    return {
      events: [{ type: 'CreditPackRetired', data: { packId: pack.packId, pack }, metadata }],
      pack,
      created: false,
    };
  }
  const pack = command.pack;
  const existing = state.packs.get(pack.packId)?.pack;
  if (existing && command.kind === 'create') throw new CreditPackExistsError(pack.packId);
  const problems = packProblems(pack, { newId: existing === undefined });
  if (existing === undefined && state.packs.size >= MAX_CATALOG_PACKS)
    problems.push({
      field: 'packId',
      message: `the catalog already holds ${MAX_CATALOG_PACKS} packs (retired ones included); edit one instead`,
    });
  if (pack.active && !existing?.active && activePackCount(state) >= MAX_ACTIVE_PACKS)
    problems.push({
      field: 'active',
      message: `the catalog already has ${MAX_ACTIVE_PACKS} active packs; retire one first`,
    });
  if (problems.length > 0) throw new CreditPackInvalidError(problems);
  if (existing === undefined) {
    const data: CreditPackSavedData = { pack, created: true, changed: [...PACK_FIELDS] };
    return { events: [{ type: 'CreditPackSaved', data, metadata }], pack, created: true };
  }
  const changed = changedFields(existing, pack);
  if (changed.length === 0) return { events: [], pack: existing, created: false };
  const data: CreditPackSavedData = { pack, created: false, changed };
  return { events: [{ type: 'CreditPackSaved', data, metadata }], pack, created: false };
}

/** The events that seed an empty catalog (CREDIT_PACKS, or the default three). */
export function seedEvents(
  packs: readonly CreditPack[],
  seededFrom: 'CREDIT_PACKS' | 'default',
  now: Date,
): CatalogEvent[] {
  const metadata = metadataOf({
    now,
    actor: { kind: 'system', id: 'catalog-seed' },
    correlationId: 'catalog-seed',
  });
  return packs.map((pack) => ({
    type: 'CreditPackSaved',
    data: { pack, created: true, changed: [...PACK_FIELDS], seededFrom },
    metadata,
  }));
}

/** A repeat of a change made with the same Idempotency-Key answers what the first one did. */
function repeatedChange(
  state: CatalogState,
  context: CatalogChangeContext,
): CatalogDecision | null {
  if (context.idempotencyKey === undefined) return null;
  const remembered = state.keys.get(context.idempotencyKey);
  if (!remembered) return null;
  if (remembered.requestHash !== context.requestHash) throw new CatalogIdempotencyKeyReusedError();
  const pack = state.packs.get(remembered.packId)?.pack;
  // A remembered key always names a pack it saved; packs are never removed.
  if (!pack) return null;
  return { events: [], pack, created: remembered.created };
}

function metadataOf(context: CatalogChangeContext): CatalogEventMetadata {
  return {
    occurredAt: context.now.toISOString(),
    actor: context.actor,
    correlationId: context.correlationId,
    ...(context.idempotencyKey !== undefined &&
      context.requestHash !== undefined && {
        idempotencyKey: context.idempotencyKey,
        requestHash: context.requestHash,
      }),
    schemaVersion: CATALOG_SCHEMA_VERSION,
  };
}
