import {
  CatalogIdempotencyKeyReusedError,
  CreditPackExistsError,
  CreditPackInvalidError,
  CreditPackNotFoundError,
} from '../../../src/payments/catalog/catalog-errors';
import type { CatalogEvent } from '../../../src/payments/catalog/catalog-events';
import {
  emptyCatalog,
  foldCatalog,
  packAt,
  type CatalogState,
} from '../../../src/payments/catalog/catalog-state';
import {
  decideCatalog,
  seedEvents,
  type CatalogChangeContext,
  type CatalogCommand,
} from '../../../src/payments/catalog/decide-catalog';
import { PACK_FIELDS } from '../../../src/payments/catalog/credit-pack';
import { MAX_ACTIVE_PACKS } from '../../../src/payments/catalog/pack-rules';
import { aPack } from './pack-fixtures';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ADMIN: Omit<CatalogChangeContext, 'now'> = {
  actor: { kind: 'admin', id: 'ops' },
  correlationId: 'req-1',
};

const basic = aPack({
  packId: 'basic',
  name: 'Basic',
  credits: 100,
  price: { minor: 1000, currency: 'USD' },
});
const standard = aPack({
  packId: 'standard',
  name: 'Standard',
  credits: 275,
  price: { minor: 2500, currency: 'USD' },
  popular: true,
});

function seeded(): CatalogState {
  return foldCatalog(emptyCatalog(), seedEvents([basic, standard], 'default', NOW));
}

/** Decides, then folds what was decided: the catalog after the change. */
function run(
  state: CatalogState,
  command: CatalogCommand,
  context: Partial<CatalogChangeContext> = {},
) {
  const decision = decideCatalog(state, command, { ...ADMIN, now: NOW, ...context });
  return { decision, state: foldCatalog(state, decision.events) };
}

describe('the catalog decider', () => {
  it("seeds the packs as the stream's first events, by the system", () => {
    const events = seedEvents([basic, standard], 'CREDIT_PACKS', NOW);
    expect(events).toEqual([
      {
        type: 'CreditPackSaved',
        data: { pack: basic, created: true, changed: [...PACK_FIELDS], seededFrom: 'CREDIT_PACKS' },
        metadata: {
          occurredAt: NOW.toISOString(),
          actor: { kind: 'system', id: 'catalog-seed' },
          correlationId: 'catalog-seed',
          schemaVersion: 1,
        },
      },
      expect.objectContaining({ data: expect.objectContaining({ pack: standard }) }),
    ]);
    const state = foldCatalog(emptyCatalog(), events);
    expect(state.revision).toBe(1);
    expect([...state.packs.keys()]).toEqual(['basic', 'standard']);
  });

  it('creates a pack with who, when and what; a second create of the id is refused', () => {
    const bulk = aPack();
    const { decision, state } = run(
      seeded(),
      { kind: 'create', pack: bulk },
      {
        idempotencyKey: 'k1',
        requestHash: 'h1',
      },
    );
    expect(decision.created).toBe(true);
    expect(decision.events).toEqual([
      {
        type: 'CreditPackSaved',
        data: { pack: bulk, created: true, changed: [...PACK_FIELDS] },
        metadata: {
          occurredAt: NOW.toISOString(),
          actor: { kind: 'admin', id: 'ops' },
          correlationId: 'req-1',
          idempotencyKey: 'k1',
          requestHash: 'h1',
          schemaVersion: 1,
        },
      },
    ]);
    expect(state.revision).toBe(2);
    expect(() => run(state, { kind: 'create', pack: aPack({ name: 'Other' }) })).toThrow(
      CreditPackExistsError,
    );
  });

  it("refuses a retired pack's id for a new pack (never forgotten)", () => {
    const { state } = run(seeded(), { kind: 'retire', packId: 'basic' });
    expect(() => run(state, { kind: 'create', pack: aPack({ packId: 'basic' }) })).toThrow(
      CreditPackExistsError,
    );
  });

  it('PUT creates a new id (201) and replaces an existing pack (200), naming what changed', () => {
    const created = run(seeded(), { kind: 'put', pack: aPack() });
    expect(created.decision.created).toBe(true);
    const replaced = run(created.state, {
      kind: 'put',
      pack: aPack({ credits: 2200, price: { minor: 1990, currency: 'EUR' }, popular: true }),
    });
    expect(replaced.decision.created).toBe(false);
    expect(replaced.decision.events).toEqual([
      expect.objectContaining({
        type: 'CreditPackSaved',
        data: expect.objectContaining({ created: false, changed: ['credits', 'price', 'popular'] }),
      }),
    ]);
    expect(replaced.state.packs.get('bulk')?.pack.credits).toBe(2200);
  });

  it('writes nothing for a PUT of the pack as it is', () => {
    const { decision } = run(seeded(), { kind: 'put', pack: basic });
    expect(decision).toEqual({ events: [], pack: basic, created: false });
  });

  it('retires: inactive, kept, history intact; again: nothing; unknown: not found', () => {
    const state = seeded();
    const { decision, state: after } = run(state, { kind: 'retire', packId: 'standard' });
    expect(decision.pack).toEqual({ ...standard, active: false });
    expect(decision.events).toEqual([
      expect.objectContaining({
        type: 'CreditPackRetired',
        data: { packId: 'standard', pack: { ...standard, active: false } },
      }),
    ]);
    expect(after.packs.get('standard')?.versions.map((version) => version.pack.active)).toEqual([
      true,
      false,
    ]);
    expect(run(after, { kind: 'retire', packId: 'standard' }).decision.events).toEqual([]);
    expect(() => run(after, { kind: 'retire', packId: 'mega' })).toThrow(CreditPackNotFoundError);
  });

  it('answers the pack as it was at any catalog revision', () => {
    let state = seeded(); // basic@0, standard@1
    state = run(state, { kind: 'put', pack: { ...basic, credits: 120 } }).state; // @2
    state = run(state, { kind: 'retire', packId: 'basic' }).state; // @3
    expect(packAt(state, 'basic', 0)?.credits).toBe(100);
    expect(packAt(state, 'basic', 1)?.credits).toBe(100);
    expect(packAt(state, 'basic', 2)).toMatchObject({ credits: 120, active: true });
    expect(packAt(state, 'basic', 3)).toMatchObject({ credits: 120, active: false });
    expect(packAt(state, 'standard', 0)).toBeNull();
    expect(packAt(state, 'mega', 3)).toBeNull();
  });

  it('refuses an invalid pack with every bad field, and a new id that breaks the pattern', () => {
    let error: unknown;
    try {
      run(seeded(), { kind: 'put', pack: aPack({ packId: 'Big_Pack', credits: 0 }) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CreditPackInvalidError);
    expect((error as CreditPackInvalidError).fields.map((field) => field.field)).toEqual([
      'packId',
      'credits',
    ]);
  });

  it('lets a seeded pack with an old-style id be edited', () => {
    const legacy = aPack({ packId: 'Legacy_Pack' });
    const state = foldCatalog(emptyCatalog(), seedEvents([legacy], 'CREDIT_PACKS', NOW));
    const { decision } = run(state, { kind: 'put', pack: { ...legacy, name: 'Renamed' } });
    expect(decision.events).toHaveLength(1);
  });

  it(`keeps at most ${MAX_ACTIVE_PACKS} active packs; retired ones do not count`, () => {
    let state = emptyCatalog();
    for (let index = 0; index < MAX_ACTIVE_PACKS; index += 1)
      state = run(state, { kind: 'create', pack: aPack({ packId: `p${index}` }) }).state;
    expect(() => run(state, { kind: 'create', pack: aPack({ packId: 'one-more' }) })).toThrow(
      CreditPackInvalidError,
    );
    // An inactive pack can still be added, and retiring one makes room.
    state = run(state, { kind: 'create', pack: aPack({ packId: 'draft', active: false }) }).state;
    state = run(state, { kind: 'retire', packId: 'p0' }).state;
    expect(
      run(state, { kind: 'put', pack: aPack({ packId: 'draft' }) }).decision.events,
    ).toHaveLength(1);
  });

  it('answers a repeated Idempotency-Key with the first result; another request under it is refused', () => {
    const first = run(
      seeded(),
      { kind: 'create', pack: aPack() },
      { idempotencyKey: 'k', requestHash: 'h' },
    );
    const again = run(
      first.state,
      { kind: 'create', pack: aPack() },
      { idempotencyKey: 'k', requestHash: 'h' },
    );
    expect(again.decision).toEqual({ events: [], pack: aPack(), created: true });
    expect(() =>
      run(
        first.state,
        { kind: 'create', pack: aPack({ credits: 1 }) },
        { idempotencyKey: 'k', requestHash: 'other' },
      ),
    ).toThrow(CatalogIdempotencyKeyReusedError);
  });

  it('folds without changing the state it was given', () => {
    const state = seeded();
    const events: CatalogEvent[] = run(state, { kind: 'retire', packId: 'basic' }).decision.events;
    foldCatalog(state, events);
    expect(state.packs.get('basic')?.pack.active).toBe(true);
    expect(state.revision).toBe(1);
  });
});
