import type {
  CaptureReservationCommand,
  ReleaseReservationCommand,
  ReserveCreditsCommand,
} from '../../src/ledger';
import { given } from './given-when-then';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  after,
  expired,
  granted,
  purchased,
  refunded,
  released,
  reserved,
  spent,
} from './fixtures';

const reserve = (
  credits: number,
  ttlSeconds = 900,
  reservationId = 'r1',
): ReserveCreditsCommand => ({
  kind: 'reserve',
  reservationId,
  credits,
  ttlSeconds,
  description: 'render job',
});
const capture = (
  credits?: number,
  overrides: Partial<CaptureReservationCommand> = {},
): CaptureReservationCommand => ({
  kind: 'capture',
  reservationId: 'r1',
  spendId: 'cap1',
  ...(credits !== undefined && { credits }),
  ...overrides,
});
const release = (reservationId = 'r1'): ReleaseReservationCommand => ({
  kind: 'release',
  reservationId,
});

describe('reserve', () => {
  it('holds credits in drawdown order until now + ttl', () => {
    given(purchased('paid', 100), granted('promo', 10, { expiresAt: after(DAY) }))
      .when(reserve(30, 600), { now: T0 })
      .then(
        reserved('r1', { promo: 10, paid: 20 }, after(10 * MINUTE), { description: 'render job' }),
      );
  });

  it('refuses more than is available, held credits not counted', () => {
    given(purchased('paid', 100), reserved('r0', { paid: 90 }, after(HOUR)))
      .when(reserve(20), { now: T0 })
      .thenRejects({ code: 'insufficient_credits', available: 10, required: 20 });
  });
});

describe('capture', () => {
  const held = [
    granted('promo', 10, { expiresAt: after(10 * DAY) }),
    purchased('paid', 100),
    reserved('r1', { promo: 10, paid: 20 }, after(15 * MINUTE), { description: 'render job' }),
  ];

  it("captures all that is held by default, with the hold's description", () => {
    given(...held)
      .when(capture(), { now: after(5 * MINUTE) })
      .then(
        spent('cap1', { promo: 10, paid: 20 }, { reservationId: 'r1', description: 'render job' }),
      );
  });

  it('captures part from the first-drawn credits and releases the rest, last-drawn first', () => {
    const outcome = given(...held).when(capture(12, { description: 'rendered 12 frames' }), {
      now: after(5 * MINUTE),
    });
    outcome.then(
      spent(
        'cap1',
        { promo: 10, paid: 2 },
        { reservationId: 'r1', description: 'rendered 12 frames' },
      ),
      released('r1', { paid: 18 }, 'captured_remainder'),
    );
    const after_ = outcome.stateAfter();
    expect(after_.extras.reservations).toEqual({});
    expect(after_.extras.closedReservations).toEqual({ r1: 'captured' });
    expect(after_.reserved).toBe(0);
    expect(after_.unexpiredRemaining).toBe(110 - 12);
  });

  it('falls back to "capture" as description', () => {
    given(purchased('paid', 100), reserved('r1', { paid: 5 }, after(HOUR)))
      .when(capture(), { now: T0 })
      .then(spent('cap1', { paid: 5 }, { reservationId: 'r1', description: 'capture' }));
  });

  it('refuses more than is held', () => {
    given(...held)
      .when(capture(31), { now: after(MINUTE) })
      .thenRejects({ code: 'capture_exceeds_hold', reservationId: 'r1', held: 30, requested: 31 });
  });

  it('answers reservation_expired for a late capture and writes nothing, not even the due release', () => {
    const late = given(...held).when(capture(), { now: after(15 * MINUTE) });
    expect(late.decision).toEqual({
      kind: 'rejected',
      rejection: { code: 'reservation_expired', reservationId: 'r1' },
    });
  });

  it('answers reservation_expired for a hold already released as expired', () => {
    given(...held, released('r1', { paid: 20, promo: 10 }, 'expired', { at: after(20 * MINUTE) }))
      .when(capture(), { now: after(HOUR) })
      .thenRejects({ code: 'reservation_expired', reservationId: 'r1' });
  });

  it('answers reservation_closed for a hold captured or released before', () => {
    given(...held, spent('cap0', { promo: 10, paid: 20 }, { reservationId: 'r1' }))
      .when(capture(undefined, { spendId: 'cap2' }), { now: after(MINUTE) })
      .thenRejects({ code: 'reservation_closed', reservationId: 'r1', status: 'captured' });
    given(...held, released('r1', { paid: 20, promo: 10 }))
      .when(capture(), { now: after(MINUTE) })
      .thenRejects({ code: 'reservation_closed', reservationId: 'r1', status: 'released' });
  });

  it('answers not_found for an unknown hold', () => {
    given(...held)
      .when(capture(undefined, { reservationId: 'r9' }), { now: after(MINUTE) })
      .thenRejects({ code: 'not_found', entity: 'reservation', id: 'r9' });
  });

  it('makes a spend that can be refunded like any other', () => {
    given(
      ...held,
      spent('cap1', { promo: 10, paid: 2 }, { reservationId: 'r1' }),
      released('r1', { paid: 18 }, 'captured_remainder'),
    )
      .when(
        { kind: 'refund', refundId: 'rf1', spendId: 'cap1', reason: 'job failed' },
        { now: after(HOUR) },
      )
      .then(refunded('rf1', 'cap1', { paid: 2, promo: 10 }, { reason: 'job failed' }));
  });

  it('expires at once a remainder that goes back to a block that expired while it was held', () => {
    given(
      granted('promo', 50, { expiresAt: after(HOUR) }),
      purchased('paid', 100),
      reserved('r1', { promo: 50, paid: 10 }, after(DAY)),
    )
      .when(capture(20), { now: after(2 * HOUR) })
      .then(
        spent('cap1', { promo: 20 }, { reservationId: 'r1', description: 'capture' }),
        released('r1', { paid: 10, promo: 30 }, 'captured_remainder'),
        expired('promo', 30),
      );
  });
});

describe('release', () => {
  it('gives all held credits back, last-drawn first', () => {
    given(
      purchased('paid', 100),
      granted('promo', 10, { expiresAt: after(DAY) }),
      reserved('r1', { promo: 10, paid: 20 }, after(HOUR)),
    )
      .when(release(), { now: after(MINUTE) })
      .then(released('r1', { paid: 20, promo: 10 }));
  });

  it('answers reservation_expired for a hold past its deadline', () => {
    given(purchased('paid', 100), reserved('r1', { paid: 20 }, after(HOUR)))
      .when(release(), { now: after(HOUR) })
      .thenRejects({ code: 'reservation_expired', reservationId: 'r1' });
  });

  it('answers reservation_closed for a hold released before', () => {
    given(
      purchased('paid', 100),
      reserved('r1', { paid: 20 }, after(HOUR)),
      released('r1', { paid: 20 }),
    )
      .when(release(), { now: after(MINUTE) })
      .thenRejects({ code: 'reservation_closed', status: 'released' });
  });

  it('answers not_found for an unknown hold', () => {
    given()
      .when(release('r1'), { now: T0 })
      .thenRejects({ code: 'not_found', entity: 'reservation', id: 'r1' });
  });
});

describe('lazy release of holds past their deadline', () => {
  it('releases the hold before a spend, so its credits can be spent', () => {
    given(purchased('paid', 100), reserved('r1', { paid: 80 }, after(HOUR)))
      .when(
        { kind: 'spend', spendId: 's1', credits: 50, description: 'usage' },
        { now: after(2 * HOUR) },
      )
      .then(released('r1', { paid: 80 }, 'expired'), spent('s1', { paid: 50 }));
  });

  it('expires at once credits that go back to a block that has expired meanwhile', () => {
    given(
      granted('promo', 50, { expiresAt: after(HOUR) }),
      purchased('paid', 100),
      reserved('r1', { promo: 30, paid: 10 }, after(3 * HOUR)),
      expired('promo', 20, { at: after(HOUR) }),
    )
      .when({ kind: 'expire' }, { now: after(4 * HOUR) })
      .then(released('r1', { paid: 10, promo: 30 }, 'expired'), expired('promo', 30));
  });

  it('expires a due block once, counting what its due hold gives back', () => {
    given(
      granted('promo', 50, { expiresAt: after(HOUR) }),
      reserved('r1', { promo: 30 }, after(HOUR)),
    )
      .when({ kind: 'expire' }, { now: after(2 * HOUR) })
      .then(released('r1', { promo: 30 }, 'expired'), expired('promo', 50));
  });
});
