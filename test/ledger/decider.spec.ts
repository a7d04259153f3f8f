import type { LedgerState } from '../../src/ledger';
import {
  DEFAULT_LEDGER_OPTIONS,
  checkCredits,
  cloneState,
  decide,
  evolve,
  initialState,
  viewAt,
} from '../../src/ledger';
import { contextOf, deepFreeze, given } from './given-when-then';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  after,
  expired,
  granted,
  purchased,
  reserved,
  spent,
} from './fixtures';

describe('initialState', () => {
  it('is an account with no stream', () => {
    expect(initialState()).toEqual({
      revision: -1,
      blocks: {},
      spends: {},
      rememberedSpends: 0,
      forgottenSpends: 0,
      keyedRecords: 0,
      blockIdsWithCredits: [],
      unexpiredRemaining: 0,
      reserved: 0,
      extras: {
        reservations: {},
        closedReservations: {},
        purchases: {},
        purchasesByProviderRef: {},
        idempotency: {},
        reversals: {},
        usedQuotes: {},
        members: {},
        giftCodesRedeemed: {},
        transfersOut: {},
        transfersIn: {},
        welcome: null,
        closed: null,
        subscription: null,
      },
      options: DEFAULT_LEDGER_OPTIONS,
    });
  });

  it('merges options over the defaults, ignoring explicit undefined', () => {
    expect(initialState({ idempotencyRetentionMs: 5 }).options).toEqual({
      ...DEFAULT_LEDGER_OPTIONS,
      idempotencyRetentionMs: 5,
    });
    expect(initialState({ idempotencyRetentionMs: undefined }).options).toEqual(
      DEFAULT_LEDGER_OPTIONS,
    );
  });

  it('shares complete options and empty maps between states, and every write gets its own map', () => {
    const options = { idempotencyRetentionMs: 5, recentSpendsKept: 3 };
    const [first, second] = [initialState(options), initialState(options)];
    expect(first.options).toBe(options);
    expect(first.extras).toBe(second.extras);
    evolve(first, purchased('b1', 100));
    expect(Object.keys(first.blocks)).toEqual(['b1']);
    expect([second.blocks, first.extras.reservations, first.spends]).toEqual([{}, {}, {}]);
    // The purchase gave the first its own extras (it remembers the purchase); the second still
    // shares the empty ones, and so does every map the purchase did not write.
    expect(first.extras).not.toBe(second.extras);
    expect(Object.keys(first.extras.purchases)).toHaveLength(1);
    expect(second.extras.purchases).toEqual({});
    expect(first.extras.reservations).toBe(second.extras.reservations);
    expect(() => {
      (second.blocks as Record<string, unknown>).b2 = {};
    }).toThrow(TypeError); // the shared empty map is frozen: a write around putInState fails loudly
    expect(() => {
      second.extras.welcome = first.extras.welcome;
    }).toThrow(TypeError); // so are the shared extras: a write around ownExtras fails as loudly
  });
});

describe('evolve', () => {
  it('folds in place, returns the same object and counts revisions', () => {
    const state = initialState();
    const returned = evolve(state, purchased('b1', 100));
    expect(returned).toBe(state);
    expect(state.revision).toBe(0);
    evolve(state, spent('s1', { b1: 30 }));
    expect(state).toMatchObject({ revision: 1, unexpiredRemaining: 70, reserved: 0 });
    expect(state.blocks.b1).toEqual({
      blockId: 'b1',
      category: 'paid',
      source: 'purchase',
      credits: 100,
      remaining: 70,
      grantedAt: T0,
      expiresAt: null,
      expired: false,
      costBasis: { minor: 1000, currency: 'USD' },
      purchaseId: 'pur-b1',
    });
    expect(state.spends.s1).toEqual({
      credits: 30,
      refundable: [{ blockId: 'b1', credits: 30 }],
      touchedRevision: 1,
    });
    expect(state.extras.purchasesByProviderRef).toEqual({ pi_b1: 'pur-b1' });
  });

  it('moves held credits out of available and into reserved', () => {
    const state = given(purchased('b1', 100), reserved('r1', { b1: 40 }, after(HOUR))).state();
    expect(state).toMatchObject({ unexpiredRemaining: 60, reserved: 40 });
    expect(state.extras.reservations.r1).toEqual({
      reservationId: 'r1',
      credits: 40,
      expiresAt: after(HOUR),
      drawdown: [{ blockId: 'b1', credits: 40 }],
    });
  });

  it('marks an expired block', () => {
    const state = given(
      granted('g', 10, { expiresAt: after(DAY) }),
      expired('g', 10, { at: after(DAY) }),
    ).state();
    expect(state.blocks.g).toMatchObject({ remaining: 0, expired: true });
  });

  it('refuses to fold an event about a block the stream never created', () => {
    expect(() => evolve(initialState(), spent('s1', { nope: 1 }))).toThrow(/unknown block nope/);
  });

  it('cloneState gives an independent copy', () => {
    const state = given(purchased('b1', 100)).state();
    const copy = cloneState(state);
    evolve(copy, spent('s1', { b1: 30 }));
    expect(state.unexpiredRemaining).toBe(100);
    expect(copy.unexpiredRemaining).toBe(70);
    expect(state.spends).toEqual({});
    // Maps still empty in the copy stay separate (structuredClone alone would alias them).
    evolve(copy, reserved('r1', { b1: 10 }, after(HOUR)));
    expect(Object.keys(copy.extras.reservations)).toEqual(['r1']);
    expect([
      copy.extras.closedReservations,
      copy.extras.idempotency,
      state.extras.reservations,
    ]).toEqual([{}, {}, {}]);
  });
});

describe('decide', () => {
  const history = [
    granted('promo', 50, { expiresAt: after(HOUR) }),
    purchased('paid', 100),
    reserved('r1', { paid: 30 }, after(2 * HOUR)),
    spent('s1', { promo: 10 }),
  ];

  it.each([
    ['spend', { kind: 'spend', spendId: 's2', credits: 10, description: 'x' }],
    ['refund', { kind: 'refund', refundId: 'rf', spendId: 's1', reason: 'x' }],
    ['capture', { kind: 'capture', reservationId: 'r1', spendId: 'c1', credits: 1 }],
    ['release', { kind: 'release', reservationId: 'r1' }],
    ['reserve', { kind: 'reserve', reservationId: 'r2', credits: 5, ttlSeconds: 60 }],
    ['reverse', { kind: 'reverse', providerRef: 'pi_paid', credits: 100, reason: 'refund' }],
    ['expire', { kind: 'expire' }],
  ] as const)('never mutates the state (%s, with expiry due)', (_name, command) => {
    const state = deepFreeze(given(...history).state());
    const snapshot = structuredClone(state);
    for (const now of [after(30 * MINUTE), after(3 * HOUR)]) {
      decide(command, state, contextOf({ now, idempotencyKey: 'k', requestHash: 'h' }));
    }
    expect(state).toEqual(snapshot);
  });

  it("stamps the command's events with the context", () => {
    const [event] = given(purchased('paid', 100))
      .when(
        { kind: 'spend', spendId: 's1', credits: 1, description: 'x' },
        {
          now: after(HOUR),
          correlationId: 'req-1',
          causationId: 'cause-1',
          actor: { kind: 'admin', id: 'ops' },
          idempotencyKey: 'key-1',
          requestHash: 'hash-1',
        },
      )
      .acceptedEvents();
    expect(event.metadata).toEqual({
      occurredAt: after(HOUR),
      correlationId: 'req-1',
      causationId: 'cause-1',
      actor: { kind: 'admin', id: 'ops' },
      schemaVersion: 1,
      idempotencyKey: 'key-1',
      requestHash: 'hash-1',
    });
  });

  it('leaves out metadata the context does not have', () => {
    const [event] = given(purchased('paid', 100))
      .when({ kind: 'spend', spendId: 's1', credits: 1, description: 'x' }, { now: after(HOUR) })
      .acceptedEvents();
    expect(Object.keys(event.metadata).sort()).toEqual([
      'actor',
      'correlationId',
      'occurredAt',
      'schemaVersion',
    ]);
  });

  it('refuses an invalid clock reading', () => {
    expect(() =>
      decide({ kind: 'expire' }, initialState(), contextOf({ now: new Date(Number.NaN) })),
    ).toThrow(RangeError);
  });
});

describe('viewAt', () => {
  const state: LedgerState = given(
    granted('promo', 50, { expiresAt: after(DAY) }),
    purchased('paid', 100),
    granted('soon', 20, { expiresAt: after(HOUR) }),
    reserved('r1', { soon: 15, paid: 5 }, after(2 * HOUR)),
  ).state();

  it('lists live blocks with credits, in drawdown order, and holds as reserved', () => {
    const view = viewAt(state, new Date(after(MINUTE)));
    expect(view).toMatchObject({ balance: 170, available: 150, reserved: 20 });
    expect(view.blocks.map((block) => [block.blockId, block.remaining])).toEqual([
      ['soon', 5],
      ['promo', 50],
      ['paid', 95],
    ]);
  });

  it('counts a block past its expiresAt as gone before any CreditsExpired is written', () => {
    const view = viewAt(state, new Date(after(HOUR)));
    expect(view).toMatchObject({ balance: 165, available: 145, reserved: 20 });
    expect(view.blocks.map((block) => block.blockId)).toEqual(['promo', 'paid']);
  });

  it('counts a hold past its deadline as released, and lost where its block is gone', () => {
    const view = viewAt(state, new Date(after(2 * HOUR)));
    expect(view).toMatchObject({ balance: 150, available: 150, reserved: 0 });
    expect(view.blocks.map((block) => [block.blockId, block.remaining])).toEqual([
      ['promo', 50],
      ['paid', 100],
    ]);
  });

  it('agrees with the state after lazy expiry is written', () => {
    const now = after(2 * DAY);
    const decision = decide({ kind: 'expire' }, state, contextOf({ now }));
    const folded = cloneState(state);
    if (decision.kind !== 'accepted') throw new Error('expected accepted');
    for (const event of decision.events) evolve(folded, event);
    const view = viewAt(state, new Date(now));
    expect(view).toEqual(viewAt(folded, new Date(now)));
    expect(view).toMatchObject({ available: folded.unexpiredRemaining, reserved: folded.reserved });
  });

  it('hands out copies of the blocks', () => {
    const view = viewAt(state, new Date(T0));
    view.blocks[0].remaining = 1_000;
    expect(viewAt(state, new Date(T0)).blocks[0].remaining).not.toBe(1_000);
  });
});

describe('checkCredits', () => {
  const state = given(
    purchased('paid', 100),
    granted('soon', 20, { expiresAt: after(HOUR) }),
  ).state();

  it('answers from what a spend could use at that instant', () => {
    expect(checkCredits(state, 120, new Date(T0))).toEqual({
      sufficient: true,
      available: 120,
      balance: 120,
    });
    expect(checkCredits(state, 120, new Date(after(HOUR)))).toEqual({
      sufficient: false,
      available: 100,
      balance: 100,
    });
  });
});

describe('block source', () => {
  it('says where each block came from: purchases, subscription and rollover grants apart from other grants', () => {
    const state = initialState();
    for (const event of [
      purchased('b1', 100),
      granted('g1', 10, { reason: 'subscription' }),
      granted('g2', 10, { reason: 'rollover' }),
      granted('g3', 10, { reason: 'signup' }),
      granted('g4', 10, { reason: 'adjustment' }),
    ]) {
      evolve(state, event);
    }
    expect(
      Object.fromEntries(Object.values(state.blocks).map((block) => [block.blockId, block.source])),
    ).toEqual({ b1: 'purchase', g1: 'subscription', g2: 'rollover', g3: 'grant', g4: 'grant' });
  });
});
