import type {
  CaptureReservationCommand,
  CreditsReserved,
  CreditsSpent,
  OperationRecord,
  QuoteUse,
  ReserveCreditsCommand,
  SpendCreditsCommand,
} from '../../src/ledger';
import { IDEMPOTENCY_PRUNE_INTERVAL, decide, evolve, initialState } from '../../src/ledger';
import { contextOf, given } from './given-when-then';
import { HOUR, MINUTE, after, granted, released, reserved, spent } from './fixtures';

/**
 * PRODUCT.md §1: spends and holds priced by the application (an operation, or a quote). The
 * credits arrive computed; the decider records the operation, pays a quote once, and refuses an
 * operation whose minimumAvailable is not available, all atomically with the write.
 */
const exportOperation: OperationRecord = {
  operationId: 'video-export',
  quantity: 3,
  dimensions: { resolution: '4k' },
  rateCardVersion: 2,
};
const quote = (quoteId = 'q1', expiresAt = after(HOUR)): QuoteUse => ({ quoteId, expiresAt });

const spend = (
  credits: number,
  priced: Partial<SpendCreditsCommand> = {},
): SpendCreditsCommand => ({
  kind: 'spend',
  spendId: 's1',
  credits,
  description: 'Video export',
  ...priced,
});
const reserve = (
  credits: number,
  priced: Partial<ReserveCreditsCommand> = {},
): ReserveCreditsCommand => ({
  kind: 'reserve',
  reservationId: 'r1',
  credits,
  ttlSeconds: 900,
  description: 'Video export',
  ...priced,
});

function pricedSpent(
  drawdown: Record<string, number>,
  extra: Partial<CreditsSpent['data']>,
  spendId = 's1',
): CreditsSpent {
  const event = spent(spendId, drawdown, { description: 'Video export' });
  return { ...event, data: { ...event.data, ...extra } };
}

function pricedHold(
  drawdown: Record<string, number>,
  extra: Partial<CreditsReserved['data']>,
): CreditsReserved {
  const event = reserved('r1', drawdown, after(15 * MINUTE), { description: 'Video export' });
  return { ...event, data: { ...event.data, ...extra } };
}

describe('priced spends', () => {
  it('records the operation it paid for', () => {
    given(granted('b1', 100))
      .when(spend(30, { operation: exportOperation }), { now: after(MINUTE) })
      .then(pricedSpent({ b1: 30 }, { operation: exportOperation }));
  });

  it('pays a quote, records it, and remembers it as used', () => {
    const then = given(granted('b1', 100)).when(
      spend(30, { operation: exportOperation, quote: quote() }),
      { now: after(MINUTE) },
    );
    then.then(pricedSpent({ b1: 30 }, { operation: exportOperation, quote: quote() }));
    expect(then.stateAfter().extras.usedQuotes).toEqual({ q1: after(HOUR) });
  });

  it('refuses a quote already used, by a spend or by a hold', () => {
    given(granted('b1', 100), pricedSpent({ b1: 30 }, { quote: quote() }, 's0'))
      .when(spend(30, { quote: quote() }), { now: after(MINUTE) })
      .thenRejects({ code: 'quote_used', quoteId: 'q1' });
    given(granted('b1', 100), pricedHold({ b1: 30 }, { quote: quote() }))
      .when(spend(30, { quote: quote() }), { now: after(MINUTE) })
      .thenRejects({ code: 'quote_used', quoteId: 'q1' });
  });

  it('keeps a quote used even after the hold that paid it is released', () => {
    given(
      granted('b1', 100),
      pricedHold({ b1: 30 }, { quote: quote() }),
      released('r1', { b1: 30 }),
    )
      .when(reserve(30, { quote: quote(), reservationId: 'r2' }), { now: after(MINUTE) })
      .thenRejects({ code: 'quote_used' });
  });

  it('refuses an expired quote, at its expiry instant already', () => {
    given(granted('b1', 100))
      .when(spend(30, { quote: quote('q1', after(HOUR)) }), { now: after(HOUR) })
      .thenRejects({ code: 'quote_expired', quoteId: 'q1', expiresAt: after(HOUR) });
  });

  it('calls a quote both used and expired expired, whether or not the account still remembers it', () => {
    given(granted('b1', 100), pricedSpent({ b1: 30 }, { quote: quote() }, 's0'))
      .when(spend(30, { quote: quote() }), { now: after(2 * HOUR) })
      .thenRejects({ code: 'quote_expired' });
  });

  it('refuses an operation whose minimumAvailable is not available, with both numbers', () => {
    given(granted('b1', 40))
      .when(spend(10, { operation: exportOperation, minimumAvailable: 50 }), { now: after(MINUTE) })
      .thenRejects({ code: 'minimum_available', available: 40, minimumAvailable: 50 });
  });

  it('judges minimumAvailable on what is available now: held and expired credits do not count', () => {
    given(
      granted('b1', 100),
      granted('soon', 20, { expiresAt: after(HOUR) }),
      reserved('r0', { b1: 60 }, after(2 * HOUR)),
    )
      .when(spend(10, { minimumAvailable: 41 }), { now: after(HOUR) })
      .thenRejects({ code: 'minimum_available', available: 40, minimumAvailable: 41 });
  });

  it('accepts at exactly minimumAvailable, then refuses as insufficient beyond the balance', () => {
    given(granted('b1', 50))
      .when(spend(50, { minimumAvailable: 50 }), { now: after(MINUTE) })
      .then(pricedSpent({ b1: 50 }, {}));
    given(granted('b1', 50))
      .when(spend(60, { minimumAvailable: 10 }), { now: after(MINUTE) })
      .thenRejects({ code: 'insufficient_credits', available: 50, required: 60 });
  });

  it('writes nothing when refused, not even the expiry that was due', () => {
    given(granted('b1', 40), granted('old', 10, { expiresAt: after(MINUTE) }))
      .when(spend(10, { minimumAvailable: 50 }), { now: after(HOUR) })
      .thenRejects({ code: 'minimum_available', available: 40 });
  });

  it('replays a retried priced spend with the same Idempotency-Key, even after the quote expired', () => {
    const first = pricedSpent({ b1: 30 }, { operation: exportOperation, quote: quote() });
    first.metadata = { ...first.metadata, idempotencyKey: 'k1', requestHash: 'h1' };
    given(granted('b1', 100), first)
      .when(spend(30, { operation: exportOperation, quote: quote(), spendId: 's2' }), {
        now: after(2 * HOUR),
        idempotencyKey: 'k1',
        requestHash: 'h1',
      })
      .thenReplays({ firstRevision: 1, lastRevision: 1 });
  });
});

describe('priced holds and their capture', () => {
  it('records the operation and the quote on the hold', () => {
    given(granted('b1', 100))
      .when(reserve(30, { operation: exportOperation, quote: quote(), minimumAvailable: 30 }), {
        now: after(0),
      })
      .then(pricedHold({ b1: 30 }, { operation: exportOperation, quote: quote() }));
  });

  it('refuses a hold below minimumAvailable', () => {
    given(granted('b1', 20))
      .when(reserve(5, { minimumAvailable: 25 }), { now: after(0) })
      .thenRejects({ code: 'minimum_available', available: 20, minimumAvailable: 25 });
  });

  const capture = (
    overrides: Partial<CaptureReservationCommand> = {},
  ): CaptureReservationCommand => ({
    kind: 'capture',
    reservationId: 'r1',
    spendId: 'cap1',
    ...overrides,
  });

  it('a capture records the operation as held when it names none', () => {
    given(granted('b1', 100), pricedHold({ b1: 30 }, { operation: exportOperation }))
      .when(capture(), { now: after(MINUTE) })
      .then(pricedSpent({ b1: 30 }, { reservationId: 'r1', operation: exportOperation }, 'cap1'));
  });

  it('a capture by quantity records the quantity used at the hold card version, and releases the rest', () => {
    const used = { ...exportOperation, quantity: 2 };
    const events = given(granted('b1', 100), pricedHold({ b1: 30 }, { operation: exportOperation }))
      .when(capture({ credits: 20, operation: used }), { now: after(MINUTE) })
      .acceptedEvents();
    expect(events.map((event) => event.type)).toEqual(['CreditsSpent', 'ReservationReleased']);
    expect(events[0].data).toMatchObject({ credits: 20, operation: used });
  });

  it('the state remembers a priced hold operation (the capture by quantity needs it)', () => {
    const state = given(
      granted('b1', 100),
      pricedHold({ b1: 30 }, { operation: exportOperation }),
    ).state();
    expect(state.extras.reservations.r1.operation).toEqual(exportOperation);
  });
});

describe('the used-quote memory', () => {
  it('forgets quotes once they expired, so it stays as small as one quote lifetime of use', () => {
    const state = initialState();
    evolve(state, granted('b1', 10_000));
    let revisionAt = 0;
    for (let index = 0; index < IDEMPOTENCY_PRUNE_INTERVAL * 2; index++) {
      revisionAt += 1;
      const event = pricedSpent(
        { b1: 1 },
        { quote: quote(`q${index}`, after(revisionAt * MINUTE + 10 * MINUTE)) },
        `s${index}`,
      );
      event.metadata = { ...event.metadata, occurredAt: after(revisionAt * MINUTE) };
      evolve(state, event);
    }
    // Quotes live 10 minutes after their use here: pruning keeps at most those of the last 10
    // minutes plus one prune interval's worth.
    const remembered = Object.keys(state.extras.usedQuotes).length;
    expect(remembered).toBeGreaterThan(0);
    expect(remembered).toBeLessThanOrEqual(10 + IDEMPOTENCY_PRUNE_INTERVAL);
    // A quote still within its lifetime is never forgotten.
    const last = `q${IDEMPOTENCY_PRUNE_INTERVAL * 2 - 1}`;
    const decision = decide(
      spend(1, { quote: quote(last, after((revisionAt + 10) * MINUTE)), spendId: 'again' }),
      state,
      contextOf({ now: after(revisionAt * MINUTE + 1) }),
    );
    expect(decision).toMatchObject({ kind: 'rejected', rejection: { code: 'quote_used' } });
  });
});
