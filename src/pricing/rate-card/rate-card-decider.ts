import { DEFAULT_RATE_CARD } from './default-rate-card';
import { freezeCard } from './freeze-card';
import type { RateCard } from './rate-card';
import { RATE_CARD_PUBLISHED, type RateCardPublished } from './rate-card-events';
import { validateOperations, type CardProblem } from './validate-card';

/**
 * Publishing a rate card, decided from the card's stream like any ledger command (pure: no clock
 * but the `now` it is given, no I/O). The state is the newest card; before any publication, the
 * default card (version 0).
 */
export type RateCardState = RateCard;

export const INITIAL_RATE_CARD_STATE: RateCardState = DEFAULT_RATE_CARD;

/** Publish these operations as the next version (validated here, whatever the caller checked). */
export interface PublishRateCardCommand {
  operations: unknown;
}

export type PublishDecision =
  { kind: 'published'; event: RateCardPublished } | { kind: 'rejected'; problems: CardProblem[] };

export function decidePublish(
  state: RateCardState,
  command: PublishRateCardCommand,
  now: Date,
): PublishDecision {
  const validation = validateOperations(command.operations);
  if (!validation.ok) return { kind: 'rejected', problems: validation.problems };
  // Instants never go back from one version to the next (clocks of two processes may disagree),
  // so "the card in force at instant T" is always the last version published at or before T.
  const publishedAt = new Date(Math.max(now.getTime(), Date.parse(state.publishedAt)));
  return {
    kind: 'published',
    event: {
      type: RATE_CARD_PUBLISHED,
      data: {
        version: state.version + 1,
        operations: validation.operations,
        publishedAt: publishedAt.toISOString(),
      },
    },
  };
}

/**
 * The card an event publishes becomes the state: a card replaces the one before it. A frozen copy,
 * since the state is shared by everything priced with it.
 */
export function evolveRateCard(_state: RateCardState, event: RateCardPublished): RateCardState {
  const { version, publishedAt, operations } = event.data;
  return freezeCard({ version, publishedAt, operations: structuredClone(operations) });
}

/** The card's stream is at revision version − 1 (the default card: no stream, −1). */
export function streamRevisionOf(state: RateCardState): number {
  return state.version - 1;
}
