import type { CaptureReservationCommand, LedgerEvent, SpendCreditsCommand } from '../../src/ledger';
import { IDEMPOTENCY_PRUNE_INTERVAL, evolve, initialState } from '../../src/ledger';
import { given } from './given-when-then';
import {
  DAY,
  HOUR,
  MINUTE,
  after,
  granted,
  purchased,
  released,
  reserved,
  spent,
} from './fixtures';

const spend = (credits: number, spendId = 's2'): SpendCreditsCommand => ({
  kind: 'spend',
  spendId,
  credits,
  description: 'usage',
});
const keyed = { idempotencyKey: 'key-1', requestHash: 'hash-a' };

describe('idempotency', () => {
  const firstSpend = [
    purchased('paid', 100),
    spent('s1', { paid: 30 }, { at: after(HOUR), ...keyed }),
  ];

  it('replays the same key and request with the first answer, balances as they were then', () => {
    given(...firstSpend, spent('s9', { paid: 50 }, { at: after(2 * HOUR) }))
      .when(spend(30), { now: after(3 * HOUR), ...keyed })
      .thenReplays({
        requestHash: 'hash-a',
        firstRevision: 1,
        lastRevision: 1,
        balance: 70,
        available: 70,
        reserved: 0,
        occurredAt: after(HOUR),
      });
  });

  it('replays even when the account could no longer afford the command', () => {
    given(...firstSpend, spent('s9', { paid: 70 }, { at: after(2 * HOUR) }))
      .when(spend(30), { now: after(3 * HOUR), ...keyed })
      .thenReplays({ balance: 70 });
  });

  it('refuses the same key with another request', () => {
    given(...firstSpend)
      .when(spend(31), { now: after(3 * HOUR), idempotencyKey: 'key-1', requestHash: 'hash-b' })
      .thenRejects({ code: 'idempotency_key_reused', idempotencyKey: 'key-1' });
  });

  it('treats a key older than the retention as new', () => {
    given(...firstSpend)
      .withOptions({ idempotencyRetentionMs: DAY })
      .when(spend(30), { now: after(HOUR + DAY + 1), ...keyed })
      .then(spent('s2', { paid: 30 }));
  });

  it('still knows a key exactly at the end of the retention', () => {
    given(...firstSpend)
      .withOptions({ idempotencyRetentionMs: DAY })
      .when(spend(30), { now: after(HOUR + DAY), ...keyed })
      .thenReplays();
  });

  it('remembers at least 7 days by default', () => {
    given(...firstSpend)
      .when(spend(30), { now: after(HOUR + 7 * DAY), ...keyed })
      .thenReplays();
    given(...firstSpend)
      .when(spend(30), { now: after(HOUR + 7 * DAY + 1), ...keyed })
      .then(spent('s2', { paid: 30 }));
  });

  it("puts the key on the command's own events only, not on lazy expiry", () => {
    const events = given(granted('promo', 5, { expiresAt: after(HOUR) }), purchased('paid', 100))
      .when(spend(10), { now: after(2 * HOUR), ...keyed })
      .acceptedEvents();
    expect(
      events.map((event) => [
        event.type,
        event.metadata.idempotencyKey,
        event.metadata.requestHash,
      ]),
    ).toEqual([
      ['CreditsExpired', undefined, undefined],
      ['CreditsSpent', 'key-1', 'hash-a'],
    ]);
  });

  it('remembers a command of several events from its first to its last, after expiry events', () => {
    const capture: CaptureReservationCommand = {
      kind: 'capture',
      reservationId: 'r1',
      spendId: 'cap1',
      credits: 5,
    };
    const outcome = given(
      granted('promo', 5, { expiresAt: after(HOUR) }),
      purchased('paid', 100),
      reserved('r1', { paid: 20 }, after(DAY)),
    ).when(capture, { now: after(2 * HOUR), ...keyed });
    const state = outcome.stateAfter();
    expect(outcome.acceptedEvents().map((event) => event.type)).toEqual([
      'CreditsExpired',
      'CreditsSpent',
      'ReservationReleased',
    ]);
    expect(state.extras.idempotency['key-1']).toEqual({
      requestHash: 'hash-a',
      firstRevision: 4,
      lastRevision: 5,
      balance: 95,
      available: 95,
      reserved: 0,
      occurredAt: after(2 * HOUR),
    });
  });

  it('starts a new record when a key comes back with new events after the retention', () => {
    const state = given(
      ...firstSpend,
      spent('s2', { paid: 10 }, { at: after(HOUR + 8 * DAY), ...keyed }),
    ).state();
    expect(state.extras.idempotency['key-1']).toMatchObject({
      firstRevision: 2,
      lastRevision: 2,
      balance: 60,
    });
  });

  it('does not remember a rejected command', () => {
    const refused = given(purchased('paid', 10)).when(spend(30), { now: after(HOUR), ...keyed });
    refused.thenRejects({ code: 'insufficient_credits' });
    expect(refused.stateBefore.extras.idempotency).toEqual({});
  });

  it('handles keys named like Object.prototype members as plain keys', () => {
    given(purchased('paid', 100))
      .when(spend(30), { now: after(HOUR), idempotencyKey: 'constructor', requestHash: 'h' })
      .then(spent('s2', { paid: 30 }));
    const state = given(
      purchased('paid', 100),
      spent('s1', { paid: 30 }, { at: after(HOUR), idempotencyKey: '__proto__', requestHash: 'h' }),
    ).state();
    // Stored as an entry: the map's prototype (none: maps are null-prototype dictionaries) is untouched.
    expect(Object.hasOwn(state.extras.idempotency, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(state.extras.idempotency)).toBeNull();
    given(
      purchased('paid', 100),
      spent('s1', { paid: 30 }, { at: after(HOUR), idempotencyKey: '__proto__', requestHash: 'h' }),
    )
      .when(spend(30), { now: after(2 * HOUR), idempotencyKey: '__proto__', requestHash: 'h' })
      .thenReplays({ balance: 70 });
  });

  it('forgets stale keys as the stream grows, so memory stays bounded', () => {
    const state = initialState({ idempotencyRetentionMs: HOUR });
    const events: LedgerEvent[] = [granted('g', 1_000_000)];
    for (let i = 0; i < 4 * IDEMPOTENCY_PRUNE_INTERVAL; i += 1) {
      events.push(
        spent(
          `s${i}`,
          { g: 1 },
          { at: after(i * MINUTE), idempotencyKey: `k${i}`, requestHash: 'h' },
        ),
      );
    }
    for (const event of events) evolve(state, event);
    const kept = Object.keys(state.extras.idempotency).length;
    // Within the last hour: 60 keys, plus at most one prune interval of not yet pruned ones.
    expect(kept).toBeGreaterThanOrEqual(61);
    expect(kept).toBeLessThanOrEqual(61 + IDEMPOTENCY_PRUNE_INTERVAL);
    expect(state.extras.idempotency[`k${4 * IDEMPOTENCY_PRUNE_INTERVAL - 1}`]).toBeDefined();
    expect(state.extras.idempotency.k0).toBeUndefined();
  });

  it('replays a release with its first answer', () => {
    given(
      purchased('paid', 100),
      reserved('r1', { paid: 20 }, after(HOUR)),
      released('r1', { paid: 20 }, 'released', { at: after(MINUTE), ...keyed }),
    )
      .when({ kind: 'release', reservationId: 'r1' }, { now: after(2 * MINUTE), ...keyed })
      .thenReplays({ firstRevision: 2, lastRevision: 2, available: 100, reserved: 0 });
  });
});
