import { DEFAULT_RATE_CARD } from '../../src/pricing/rate-card/default-rate-card';
import type { Operation } from '../../src/pricing/rate-card/rate-card';
import {
  decidePublish,
  evolveRateCard,
  INITIAL_RATE_CARD_STATE,
  streamRevisionOf,
  type PublishDecision,
  type RateCardState,
} from '../../src/pricing/rate-card/rate-card-decider';
import type { RateCardPublished } from '../../src/pricing/rate-card/rate-card-events';
import { deepFreeze } from '../ledger/given-when-then';
import { operation, viaJson } from './fixtures';

/** given(published cards…).when(operations, now).then(event) / .thenRejects(fields). */
function given(...history: RateCardPublished[]) {
  const state = deepFreeze(history.reduce<RateCardState>(evolveRateCard, INITIAL_RATE_CARD_STATE));
  return {
    state,
    when(operations: unknown, now: string) {
      const decision = decidePublish(state, { operations: deepFreeze(operations) }, new Date(now));
      return {
        decision,
        then(expected: RateCardPublished) {
          expect(decision).toEqual({ kind: 'published', event: expected });
          return evolveRateCard(state, expected);
        },
        thenRejects(fields: string[]) {
          expect(decision.kind).toBe('rejected');
          const problems = (decision as Extract<PublishDecision, { kind: 'rejected' }>).problems;
          expect(problems.map((problem) => problem.field)).toEqual(fields);
        },
      };
    },
  };
}

function published(version: number, operations: Operation[], publishedAt: string) {
  return {
    type: 'RateCardPublished',
    data: { version, operations, publishedAt },
  } satisfies RateCardPublished;
}

const T1 = '2026-03-01T12:00:00.000Z';
const T2 = '2026-03-02T09:30:00.000Z';

describe('the rate card: decide and evolve', () => {
  it('starts from the default card, version 0, at no stream revision', () => {
    const { state } = given();
    expect(state).toBe(DEFAULT_RATE_CARD);
    expect(state.version).toBe(0);
    expect(streamRevisionOf(state)).toBe(-1);
  });

  it('publishes the first card as version 1, at the instant given', () => {
    const card = [operation('render')];
    const after = given()
      .when(viaJson(card), T1)
      .then(published(1, card, T1));
    expect(after).toEqual({ version: 1, publishedAt: T1, operations: card });
    expect(streamRevisionOf(after)).toBe(0);
  });

  it('publishes each next card as the next version; the newest card replaces the one before', () => {
    const first = [operation('render'), operation('stem-separation')];
    const second = [operation('video-export')];
    const after = given(published(1, first, T1))
      .when(second, T2)
      .then(published(2, second, T2));
    expect(after.operations.map((item) => item.operationId)).toEqual(['video-export']);
    expect(given(published(1, first, T1), published(2, second, T2)).state.version).toBe(2);
  });

  it('publishes the same card again as a new version (a PUT always publishes)', () => {
    const card = [operation('render')];
    given(published(1, card, T1))
      .when(card, T2)
      .then(published(2, card, T2));
  });

  it('never dates a version before the one it follows (another process with a slow clock)', () => {
    const card = [operation('render')];
    given(published(1, card, T2))
      .when(card, T1)
      .then(published(2, card, T2));
  });

  it('publishes nothing when the card has a problem, naming every one', () => {
    given(published(1, [operation('render')], T1))
      .when([operation('a'), operation('a'), { operationId: 'b' }], T2)
      .thenRejects([
        'operations[2].name',
        'operations[2].unit',
        'operations[2].pricing',
        'operations[1].operationId',
      ]);
  });

  it('records the fields of an operation in one order, and no field left undefined', () => {
    const base = operation('render');
    const sent = {
      pricing: { ...base.pricing, multiplier: undefined },
      minimumAvailable: undefined,
      unit: base.unit,
      name: base.name,
      operationId: base.operationId,
    };
    const decision = given().when([sent], T1).decision;
    if (decision.kind !== 'published') throw new Error('expected a publication');
    const [recorded] = decision.event.data.operations;
    expect(Object.keys(recorded)).toEqual(['operationId', 'name', 'unit', 'pricing']);
    expect(Object.keys(recorded.pricing)).toEqual(['base', 'perUnit', 'unitSize', 'minimum']);
  });

  it('evolves to a frozen copy: nothing priced with a card can change it', () => {
    const event = published(1, [operation('render')], T1);
    const state = evolveRateCard(INITIAL_RATE_CARD_STATE, event);
    expect(Object.isFrozen(state.operations[0].pricing)).toBe(true);
    expect(state.operations).not.toBe(event.data.operations);
    expect(Object.isFrozen(event.data.operations)).toBe(false);
    expect(Object.isFrozen(DEFAULT_RATE_CARD.operations[2].pricing.multiplier!.resolution)).toBe(
      true,
    );
  });
});
