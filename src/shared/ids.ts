import { randomUUID } from 'node:crypto';

/** Ids the ledger hands out: a readable prefix and a UUID (`spend_…`, `block_…`). */
export type IdPrefix =
  | 'spend'
  | 'refund'
  | 'adjustment'
  | 'block'
  | 'purchase'
  | 'reservation'
  | 'quote'
  | 'transfer'
  | 'merge';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID()}`;
}
