import type { LedgerEvent, LedgerEventMetadata, LedgerEventType } from './events';

/** An event the decider has decided on, before the metadata shared by its whole append is added. */
export type EventDraft = LedgerEvent extends infer E
  ? E extends LedgerEvent
    ? Omit<E, 'metadata'>
    : never
  : never;

export type DraftOf<T extends LedgerEventType> = Omit<
  Extract<LedgerEvent, { type: T }>,
  'metadata'
>;

export function withMetadata(draft: EventDraft, metadata: LedgerEventMetadata): LedgerEvent {
  // Each draft is the data part of exactly one LedgerEvent variant; adding metadata restores it.
  // Named fields rather than a spread: one small object per event, without copying through a spread.
  return { type: draft.type, data: draft.data, metadata } as LedgerEvent;
}
