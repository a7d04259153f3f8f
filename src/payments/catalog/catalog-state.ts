import { NO_STREAM_REVISION } from '../../event-store/event-store.port';
import type { CreditPack } from './credit-pack';
import type { CatalogEvent } from './catalog-events';

/** One version of a pack: what it was from the catalog revision that saved it on. */
export interface PackVersion {
  revision: number;
  pack: CreditPack;
}

export interface CatalogEntry {
  /** The pack now (its last version). */
  pack: CreditPack;
  /** Every version, oldest first: a session that recorded catalog revision N bought `packAt(N)`. */
  versions: readonly PackVersion[];
}

/** What a change made under an Idempotency-Key answered, so a repeat can answer it again. */
export interface RememberedKey {
  requestHash: string;
  packId: string;
  created: boolean;
}

export interface CatalogState {
  /** The catalog stream's revision folded so far (NO_STREAM_REVISION: nothing, not even the seed). */
  revision: number;
  /** Every pack ever created, retired ones included, in the order they were created. */
  packs: ReadonlyMap<string, CatalogEntry>;
  /** The most recent Idempotency-Keys of catalog changes (at most MAX_REMEMBERED_KEYS). */
  keys: ReadonlyMap<string, RememberedKey>;
}

/**
 * Keys older than this many changes are forgotten (a repeat of such a change is then decided
 * afresh, which PUT and DELETE survive unchanged). Changes are rare: that is months of them.
 */
export const MAX_REMEMBERED_KEYS = 1000;

export function emptyCatalog(): CatalogState {
  return { revision: NO_STREAM_REVISION, packs: new Map(), keys: new Map() };
}

/**
 * Folds events (in stream order, the first at `state.revision + 1`) into a new state; `state` is
 * left as it was, so a reader holding it keeps a consistent catalog.
 */
export function foldCatalog(state: CatalogState, events: readonly CatalogEvent[]): CatalogState {
  if (events.length === 0) return state;
  const packs = new Map(state.packs);
  const keys = new Map(state.keys);
  let revision = state.revision;
  for (const event of events) {
    revision += 1;
    const pack = event.data.pack;
    const known = packs.get(pack.packId);
    packs.set(pack.packId, {
      pack,
      versions: [...(known?.versions ?? []), { revision, pack }],
    });
    const { idempotencyKey, requestHash } = event.metadata;
    if (idempotencyKey !== undefined && requestHash !== undefined) {
      keys.delete(idempotencyKey);
      keys.set(idempotencyKey, {
        requestHash,
        packId: pack.packId,
        created: event.type === 'CreditPackSaved' && event.data.created,
      });
      if (keys.size > MAX_REMEMBERED_KEYS) keys.delete(keys.keys().next().value as string);
    }
  }
  return { revision, packs, keys };
}

/** The pack as it was at catalog revision `revision`, or null if it did not exist then. */
export function packAt(state: CatalogState, packId: string, revision: number): CreditPack | null {
  const versions = state.packs.get(packId)?.versions ?? [];
  let found: CreditPack | null = null;
  for (const version of versions) {
    if (version.revision > revision) break;
    found = version.pack;
  }
  return found;
}

export function activePackCount(state: CatalogState): number {
  let count = 0;
  for (const { pack } of state.packs.values()) if (pack.active) count += 1;
  return count;
}
