import { auditStream, type AuditedEvent, type AuditReport, type AuditRule } from '../../src/audit';
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
  reversed,
  spent,
} from '../ledger/fixtures';
import { appends, asStream, streamOf, type Step } from './support';

const NOW = new Date(after(30 * DAY));

function audit(events: AuditedEvent[], at?: string): AuditReport {
  return auditStream('acct', events, { now: NOW, ...(at !== undefined && { at: new Date(at) }) });
}

function rules(report: AuditReport): AuditRule[] {
  return [...new Set(report.violations.map((violation) => violation.rule))];
}

/** [revision, type, change, balance, available, reserved] per timeline line. */
function numbers(report: AuditReport) {
  return report.timeline.map((entry) => [
    entry.revision,
    entry.type,
    entry.change,
    entry.balance,
    entry.available,
    entry.reserved,
  ]);
}

/**
 * A day in the life of an account, through the domain. Hand-computed:
 * promo 100 (expires T0+10d), paid 50; spend 120 takes promo 100 + paid 20; the refund of 30 goes
 * back last-drawn first (paid 20, promo 10); a hold of 40 takes promo 10 + paid 30; capturing 25
 * spends promo 10 + paid 15 and releases paid 15; promo2 20 (expires T0+1d) is granted and expires
 * lazily before a spend of 5 on day 2.
 */
const DAY_IN_THE_LIFE: Step[] = [
  {
    at: T0,
    command: {
      kind: 'grant',
      blockId: 'promo',
      credits: 100,
      category: 'promotional',
      reason: 'signup',
      expiresAt: after(10 * DAY),
    },
  },
  {
    at: after(HOUR),
    command: {
      kind: 'purchase',
      blockId: 'paid',
      purchaseId: 'pur1',
      credits: 50,
      amountPaid: { minor: 500, currency: 'USD' },
      provider: 'stripe',
      providerRef: 'pi_1',
    },
  },
  {
    at: after(2 * HOUR),
    command: { kind: 'spend', spendId: 'sp1', credits: 120, description: 'render' },
  },
  {
    at: after(3 * HOUR),
    command: { kind: 'refund', refundId: 'rf1', spendId: 'sp1', credits: 30, reason: 'failed' },
  },
  {
    at: after(4 * HOUR),
    command: { kind: 'reserve', reservationId: 'r1', credits: 40, ttlSeconds: 900 },
  },
  {
    at: after(4 * HOUR + 5 * MINUTE),
    command: { kind: 'capture', reservationId: 'r1', spendId: 'cap1', credits: 25 },
  },
  {
    at: after(5 * HOUR),
    command: {
      kind: 'grant',
      blockId: 'promo2',
      credits: 20,
      category: 'promotional',
      reason: 'promotion',
      expiresAt: after(DAY),
    },
  },
  {
    at: after(2 * DAY),
    command: { kind: 'spend', spendId: 'sp2', credits: 5, description: 'export' },
  },
];

describe('auditStream: the timeline', () => {
  const stream = streamOf(DAY_IN_THE_LIFE);

  it('gives balance, available and reserved after every event, matching the hand-computed day', () => {
    const report = audit(stream);
    expect(numbers(report)).toEqual([
      [0, 'CreditsGranted', 100, 100, 100, 0],
      [1, 'CreditsPurchased', 50, 150, 150, 0],
      [2, 'CreditsSpent', -120, 30, 30, 0],
      [3, 'CreditsRefunded', 30, 60, 60, 0],
      [4, 'CreditsReserved', 0, 60, 20, 40],
      [5, 'CreditsSpent', -25, 35, 20, 15],
      [6, 'ReservationReleased', 0, 35, 35, 0],
      [7, 'CreditsGranted', 20, 55, 55, 0],
      [8, 'CreditsExpired', -20, 35, 35, 0],
      [9, 'CreditsSpent', -5, 30, 30, 0],
    ]);
    expect(report.violations).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report).toMatchObject({ creditsIn: 200, creditsOut: 170, at: null });
    expect(report.closing).toEqual({
      balance: 30,
      available: 30,
      reserved: 0,
      asOf: NOW.toISOString(),
      revision: 9,
    });
  });

  it('summarizes each event with its ids, blocks and reasons', () => {
    const summaries = audit(stream).timeline.map((entry) => entry.summary);
    expect(summaries[2]).toBe('spend sp1 "render" from promo:100, paid:20');
    expect(summaries[3]).toBe('refund rf1 of spend sp1 "failed" → paid:20, promo:10');
    expect(summaries[5]).toContain('capturing r1');
    expect(summaries[6]).toBe('hold r1: 15 released (captured_remainder) → paid:15');
    expect(summaries[8]).toBe('block promo2 expired');
  });

  it('folds up to an instant: nothing before the first event, the events at the instant included', () => {
    const before = audit(stream, after(-1));
    expect(before.timeline).toEqual([]);
    expect(before.closing).toEqual({
      balance: 0,
      available: 0,
      reserved: 0,
      asOf: after(-1),
      revision: -1,
    });
    expect(before.violations).toEqual([]);

    const atSpend = audit(stream, after(2 * HOUR));
    expect(atSpend.timeline.map((entry) => entry.revision)).toEqual([0, 1, 2]);
    expect(atSpend.closing).toMatchObject({ balance: 30, available: 30, reserved: 0, revision: 2 });

    const holding = audit(stream, after(4 * HOUR + MINUTE));
    expect(holding.closing).toMatchObject({
      balance: 60,
      available: 20,
      reserved: 40,
      revision: 4,
    });
    expect(holding.at).toBe(after(4 * HOUR + MINUTE));
  });

  it('counts a block past its expiresAt as gone at an instant before any CreditsExpired was written', () => {
    // Day 1, 1 h: promo2 expired at T0+1d, but nothing was written on the account until day 2.
    const report = audit(stream, after(DAY + HOUR));
    expect(report.timeline.at(-1)).toMatchObject({ revision: 7, balance: 55, available: 55 });
    expect(report.closing).toMatchObject({ balance: 35, available: 35, reserved: 0, revision: 7 });
    expect(report.violations).toEqual([]);
  });

  it('counts a hold past its deadline as given back to its blocks, and lost with those that expired meanwhile', () => {
    const holdSteps: Step[] = [
      {
        at: T0,
        command: {
          kind: 'grant',
          blockId: 'short',
          credits: 10,
          category: 'promotional',
          reason: 'promotion',
          expiresAt: after(10 * MINUTE),
        },
      },
      {
        at: T0,
        command: {
          kind: 'grant',
          blockId: 'long',
          credits: 10,
          category: 'paid',
          reason: 'adjustment',
        },
      },
      {
        at: after(MINUTE),
        command: { kind: 'reserve', reservationId: 'r', credits: 15, ttlSeconds: 3600 },
      },
    ];
    const holdStream = streamOf(holdSteps);
    // The hold protects short's 10 from expiry while open…
    expect(audit(holdStream, after(30 * MINUTE)).closing).toMatchObject({
      balance: 20,
      available: 5,
      reserved: 15,
    });
    // …and once its deadline passed, they come back to an expired block: only long's 10 remain.
    expect(audit(holdStream, after(2 * HOUR)).closing).toMatchObject({
      balance: 10,
      available: 10,
      reserved: 0,
    });
    // The domain writes exactly that when it next acts on the account.
    const expiredLater = streamOf([
      ...holdSteps,
      { at: after(2 * HOUR), command: { kind: 'expire' } },
    ]);
    const report = audit(expiredLater);
    expect(numbers(report).slice(3)).toEqual([
      [3, 'ReservationReleased', 0, 20, 20, 0],
      [4, 'CreditsExpired', -10, 10, 10, 0],
    ]);
    expect(report.violations).toEqual([]);
  });

  it('warns when occurredAt goes back, without calling it a violation', () => {
    const report = audit(
      appends(granted('b1', 10, { at: after(HOUR) }), granted('b2', 5, { at: T0 })),
    );
    expect(report.warnings).toEqual([
      { revision: 1, message: expect.stringContaining('before the previous event') },
    ]);
    expect(report.violations).toEqual([]);
  });
});

describe('auditStream: invariant violations', () => {
  it('finds a gap in the revisions', () => {
    const events = appends(granted('b1', 10), granted('b2', 10, { at: after(MINUTE) }));
    events[1] = { ...events[1], revision: 3 };
    const report = audit(events);
    expect(report.violations).toEqual([
      {
        revision: 3,
        rule: 'revision_gap',
        message: expect.stringContaining('revisions 1 to 2 are missing'),
      },
    ]);
  });

  it('finds a spend that overdraws a block: available below zero, and a stream the ledger cannot fold', () => {
    const report = audit(
      appends(granted('b1', 10), spent('s1', { b1: 15 }, { at: after(MINUTE) })),
    );
    expect(rules(report)).toEqual(
      expect.arrayContaining([
        'negative_available',
        'negative_block',
        'drawdown_order',
        'domain_fold',
      ]),
    );
    expect(report.violations.find((violation) => violation.rule === 'negative_available')).toEqual({
      revision: 1,
      rule: 'negative_available',
      message: 'available is -5',
    });
    expect(report.timeline[1]).toMatchObject({ balance: -5, available: -5 });
  });

  it('finds a hold taking more than is available: reserved fine, available negative', () => {
    const report = audit(
      appends(granted('b1', 10), reserved('r1', { b1: 12 }, after(HOUR), { at: after(MINUTE) })),
    );
    expect(rules(report)).toEqual(expect.arrayContaining(['negative_available']));
  });

  it('finds events whose headline credits disagree with their blocks: balance ≠ credits in − credits out', () => {
    const lying = spent('s1', { b1: 5 });
    lying.data.credits = 8;
    const report = audit(
      appends(granted('b1', 10), {
        ...lying,
        metadata: { ...lying.metadata, occurredAt: after(MINUTE) },
      }),
    );
    expect(rules(report)).toEqual(expect.arrayContaining(['amounts_disagree', 'balance_equation']));
    expect(
      report.violations.find((violation) => violation.rule === 'balance_equation')?.message,
    ).toBe('balance is 5 but credits in − credits out is 10 − 8 = 2');
  });

  it('finds refunds beyond the spend and refunds to blocks the spend never took', () => {
    const base = [
      granted('a', 10),
      granted('b', 10, { at: after(1) }),
      spent('s1', { a: 10 }, { at: after(2) }),
    ];
    const tooMuch = audit(
      appends(
        ...base,
        refunded('f1', 's1', { a: 10 }, { at: after(3) }),
        refunded('f2', 's1', { a: 1 }, { at: after(4) }),
      ),
    );
    expect(rules(tooMuch)).toEqual(
      expect.arrayContaining(['refund_exceeds_spend', 'refund_not_from_spend', 'block_overfilled']),
    );
    expect(tooMuch.violations.every((violation) => violation.revision === 4)).toBe(true);

    const elsewhere = audit(appends(...base, refunded('f1', 's1', { b: 3 }, { at: after(3) })));
    expect(rules(elsewhere)).toEqual(['refund_not_from_spend', 'block_overfilled', 'domain_fold']);

    const unknown = audit(appends(...base, refunded('f1', 'nope', { a: 3 }, { at: after(3) })));
    expect(rules(unknown)).toEqual(expect.arrayContaining(['unknown_reference', 'domain_fold']));
  });

  it('finds expiry too early, expiry of a block that never expires, and an expiry that leaves credits', () => {
    expect(
      rules(
        audit(
          appends(
            granted('b1', 10, { expiresAt: after(HOUR) }),
            expired('b1', 10, { at: after(HOUR - 1) }),
          ),
        ),
      ),
    ).toEqual(['early_expiry']);
    expect(
      rules(audit(appends(granted('b1', 10), expired('b1', 10, { at: after(HOUR) })))),
    ).toEqual(['early_expiry']);
    expect(
      rules(
        audit(
          appends(
            granted('b1', 10, { expiresAt: after(HOUR) }),
            expired('b1', 4, { at: after(HOUR) }),
          ),
        ),
      ),
    ).toEqual(['partial_expiry', 'expiry_not_applied']);
    // At its expiresAt exactly is on time: the deadline itself counts as passed.
    expect(
      audit(
        appends(
          granted('b1', 10, { expiresAt: after(HOUR) }),
          expired('b1', 10, { at: after(HOUR) }),
        ),
      ).violations,
    ).toEqual([]);
  });

  it('finds a block past its expiresAt still holding credits after a later append (lazy expiry skipped)', () => {
    const report = audit(
      appends(
        granted('b1', 10, { expiresAt: after(HOUR) }),
        granted('b2', 5, { at: after(2 * HOUR) }),
      ),
    );
    expect(report.violations).toEqual([
      {
        revision: 1,
        rule: 'expiry_not_applied',
        message: expect.stringContaining('block b1 is past its expiresAt'),
      },
    ]);
  });

  it('finds a spend drawing on an expired block', () => {
    const report = audit(
      appends(
        granted('old', 10, { expiresAt: after(HOUR) }),
        granted('new', 10, { at: after(MINUTE) }),
        spent('s1', { old: 5 }, { at: after(2 * HOUR) }),
      ),
    );
    expect(rules(report)).toEqual(
      expect.arrayContaining(['expired_block_drawn', 'drawdown_order', 'expiry_not_applied']),
    );
  });

  it('finds a spend out of drawdown order', () => {
    const report = audit(
      appends(
        purchased('paid', 10),
        granted('promo', 10, { at: after(1), expiresAt: after(DAY) }),
        spent('s1', { paid: 5 }, { at: after(2) }),
      ),
    );
    expect(report.violations).toEqual([
      {
        revision: 2,
        rule: 'drawdown_order',
        message: 'spend took paid:5; drawdown order gives promo:5',
      },
    ]);
  });

  it('finds holds: a deadline beyond 24 hours, one left open past its deadline, a late capture, a missing remainder, a wrong reason', () => {
    const hold = (deadline: string) => reserved('r1', { b1: 6 }, deadline, { at: after(MINUTE) });
    const grant = granted('b1', 10);
    expect(rules(audit(appends(grant, hold(after(MINUTE + DAY + 1)))))).toEqual(['hold_deadline']);
    expect(
      rules(audit(appends(grant, hold(after(HOUR)), granted('b2', 1, { at: after(2 * HOUR) })))),
    ).toEqual(['hold_overdue']);
    expect(
      rules(
        audit(
          appends(
            grant,
            hold(after(HOUR)),
            spent('c1', { b1: 6 }, { at: after(HOUR), reservationId: 'r1' }),
          ),
        ),
      ),
    ).toEqual(['late_capture']);
    expect(
      rules(
        audit(
          appends(
            grant,
            hold(after(HOUR)),
            spent('c1', { b1: 2 }, { at: after(2 * MINUTE), reservationId: 'r1' }),
          ),
        ),
      ),
    ).toEqual(['capture_remainder']);
    expect(
      audit(
        appends(grant, hold(after(HOUR)), [
          spent('c1', { b1: 2 }, { at: after(2 * MINUTE), reservationId: 'r1' }),
          released('r1', { b1: 4 }, 'captured_remainder', { at: after(2 * MINUTE) }),
        ]),
      ).violations,
    ).toEqual([]);
    expect(
      rules(
        audit(
          appends(
            grant,
            hold(after(HOUR)),
            released('r1', { b1: 6 }, 'expired', { at: after(2 * MINUTE) }),
          ),
        ),
      ),
    ).toEqual(['release_reason']);
    expect(
      rules(
        audit(
          appends(
            grant,
            hold(after(HOUR)),
            released('r1', { b1: 6 }, 'released', { at: after(HOUR) }),
          ),
        ),
      ),
    ).toEqual(['release_reason']);
    expect(
      rules(
        audit(
          appends(
            grant,
            hold(after(HOUR)),
            spent('c1', { b1: 7 }, { at: after(2 * MINUTE), reservationId: 'r1' }),
          ),
        ),
      ),
    ).toEqual(
      expect.arrayContaining(['capture_exceeds_hold', 'hold_not_from_blocks', 'negative_reserved']),
    );
  });

  it('finds a hold released twice or for the wrong amount', () => {
    const base = [granted('b1', 10), reserved('r1', { b1: 6 }, after(HOUR), { at: after(MINUTE) })];
    expect(
      rules(
        audit(appends(...base, released('r1', { b1: 4 }, 'released', { at: after(2 * MINUTE) }))),
      ),
    ).toEqual(expect.arrayContaining(['hold_amount', 'domain_fold']));
    expect(
      rules(
        audit(
          appends(
            ...base,
            released('r1', { b1: 6 }, 'released', { at: after(2 * MINUTE) }),
            released('r1', { b1: 6 }, 'released', { at: after(3 * MINUTE) }),
          ),
        ),
      ),
    ).toEqual(expect.arrayContaining(['hold_closed', 'negative_reserved']));
  });

  it('finds a purchase credited twice and reversals beyond the purchase or with a wrong shortfall', () => {
    expect(
      rules(
        audit(
          appends(
            purchased('p1', 10, { providerRef: 'pi_1' }),
            purchased('p2', 10, { providerRef: 'pi_1', at: after(1) }),
          ),
        ),
      ),
    ).toEqual(['duplicate_purchase']);
    const bought = purchased('p1', 10);
    expect(
      audit(appends(bought, reversed('pur-p1', 10, { p1: 10 }, { at: after(1) }))).violations,
    ).toEqual([]);
    expect(
      rules(
        audit(
          appends(
            bought,
            reversed('pur-p1', 10, { p1: 10 }, { at: after(1) }),
            reversed('pur-p1', 1, {}, { at: after(2) }),
          ),
        ),
      ),
    ).toEqual(['reversal_exceeds_purchase']);
    const wrongShortfall = reversed('pur-p1', 10, { p1: 4 }, { at: after(1) });
    wrongShortfall.data.shortfall = 0;
    expect(rules(audit(appends(bought, wrongShortfall)))).toEqual([
      'reversal_shortfall',
      'drawdown_order',
    ]);
  });

  it('finds a block born expired and ids used twice', () => {
    expect(
      rules(audit(appends(granted('b1', 10, { at: after(HOUR), expiresAt: after(HOUR) })))),
    ).toEqual(['invalid_instant', 'expiry_not_applied']);
    expect(rules(audit(appends(granted('b1', 10), granted('b1', 10, { at: after(1) }))))).toEqual(
      expect.arrayContaining(['duplicate_id']),
    );
  });

  it('reports events it cannot read and carries on', () => {
    const events: AuditedEvent[] = [
      ...asStream([granted('b1', 10)]),
      {
        revision: 1,
        type: 'CreditsTeleported',
        data: {},
        metadata: { occurredAt: after(1), schemaVersion: 1 },
      },
      {
        revision: 2,
        type: 'CreditsGranted',
        data: granted('b2', 1).data,
        metadata: { ...granted('b2', 1).metadata, schemaVersion: 99 },
      },
      {
        revision: 3,
        type: 'CreditsSpent',
        data: { spendId: 's1', credits: 3, description: 'x' },
        metadata: granted('x', 1, { at: after(3) }).metadata,
      },
      { ...asStream([spent('s2', { b1: 2 }, { at: after(4) })])[0], revision: 4 },
    ];
    const report = audit(events);
    expect(
      new Set(
        report.violations
          .filter((violation) => violation.rule === 'unreadable_event')
          .map((violation) => violation.revision),
      ),
    ).toEqual(new Set([1, 2, 3]));
    expect(report.timeline.at(-1)).toMatchObject({ revision: 4, type: 'CreditsSpent' });
  });
});

describe('auditStream on streams the domain writes', () => {
  it('finds nothing wrong with refunds into expired blocks, holds outliving their blocks, and reversals', () => {
    const steps: Step[] = [
      {
        at: T0,
        command: {
          kind: 'grant',
          blockId: 'soon',
          credits: 30,
          category: 'promotional',
          reason: 'promotion',
          expiresAt: after(HOUR),
        },
      },
      {
        at: after(1),
        command: {
          kind: 'purchase',
          blockId: 'paid',
          purchaseId: 'pur',
          credits: 20,
          amountPaid: { minor: 200, currency: 'EUR' },
          provider: 'stripe',
          providerRef: 'pi_x',
        },
      },
      {
        at: after(MINUTE),
        command: { kind: 'spend', spendId: 's1', credits: 25, description: 'a' },
      },
      {
        at: after(2 * MINUTE),
        command: { kind: 'reserve', reservationId: 'r1', credits: 10, ttlSeconds: 7200 },
      },
      // soon expires at T0+1h with nothing left in it (5 held, 25 spent).
      {
        at: after(2 * HOUR),
        command: { kind: 'refund', refundId: 'f1', spendId: 's1', reason: 'failed' },
      },
      { at: after(2 * HOUR + 1), command: { kind: 'release', reservationId: 'r1' } },
      {
        at: after(3 * HOUR),
        command: { kind: 'reverse', providerRef: 'pi_x', reason: 'dispute', totalCredits: 20 },
      },
    ];
    const report = audit(streamOf(steps));
    expect(report.violations).toEqual([]);
    expect(report.closing).toMatchObject({ balance: 0, available: 0, reserved: 0 });
    expect(report.timeline.map((entry) => entry.type)).toEqual([
      'CreditsGranted',
      'CreditsPurchased',
      'CreditsSpent',
      'CreditsReserved',
      'CreditsRefunded',
      'CreditsExpired',
      'ReservationReleased',
      'CreditsExpired',
      'PurchaseReversed',
    ]);
  });
});
