import type { EventDraft } from '../event-draft';
import type { Rejection } from '../rejections';
import type { DuplicatePurchase, RepeatedCommand } from './decision';

/** What one command's rules conclude, before lazy expiry and metadata are added. */
export type RulesOutcome =
  | { kind: 'accepted'; events: EventDraft[] }
  | { kind: 'rejected'; rejection: Rejection }
  | DuplicatePurchase
  | RepeatedCommand;

export function accept(...events: EventDraft[]): RulesOutcome {
  return { kind: 'accepted', events };
}

export function reject(rejection: Rejection): RulesOutcome {
  return { kind: 'rejected', rejection };
}
