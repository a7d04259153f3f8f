import type { LedgerEvent } from '../../src/ledger';
import { expired, granted, spent, after, HOUR, DAY } from './fixtures';
import { given, type Then } from './given-when-then';
import { APR, FEB, JAN, MAR, PRO, STARTER, at, change, pay, plan } from './subscription-fixtures';

/** The events a decision accepted, as history for the next step. */
function run(
  history: LedgerEvent[],
  ...steps: Array<[Parameters<ReturnType<typeof given>['when']>[0], string]>
): LedgerEvent[] {
  let events = history;
  for (const [command, now] of steps) {
    events = [
      ...events,
      ...at(
        given(...events)
          .when(command, { now })
          .acceptedEvents(),
        now,
      ),
    ];
  }
  return events;
}

/** The command's own events, without the lazy expiry in front of them. */
function own(events: LedgerEvent[]): LedgerEvent[] {
  return events.filter((event) => event.type !== 'CreditsExpired');
}

/** Accepted with no event of its own (lazy expiry may still be written). */
function nothing(then: Then): void {
  expect(own(then.acceptedEvents())).toEqual([]);
}

function renewalOf(events: LedgerEvent[]): LedgerEvent {
  const renewal = events.find((event) => event.type === 'SubscriptionRenewed');
  if (!renewal) throw new Error('no SubscriptionRenewed');
  return renewal;
}

const startedJan = (): LedgerEvent[] => run([], [pay(JAN, FEB), after(HOUR, JAN)]);

describe('subscriptions: a paid period', () => {
  it('starts the subscription and grants the period credits, promotional, expiring at its end', () => {
    given()
      .when(pay(JAN, FEB), { now: after(HOUR, JAN) })
      .then(
        {
          type: 'SubscriptionStarted',
          data: {
            subscriptionId: 'sub_1',
            invoiceId: 'in_2026-01',
            plan: STARTER,
            periodStart: JAN,
            periodEnd: FEB,
            credits: 100,
            blockId: 'sub-2026-01',
          },
        } as LedgerEvent,
        granted('sub-2026-01', 100, { reason: 'subscription', expiresAt: FEB }),
      );
  });

  it('gives the block source subscription', () => {
    const state = given(...startedJan()).state();
    expect(state.blocks['sub-2026-01']).toMatchObject({
      source: 'subscription',
      category: 'promotional',
      expiresAt: FEB,
    });
  });

  it('grants once per period: the same invoice again, or another invoice for the period, writes nothing', () => {
    nothing(given(...startedJan()).when(pay(JAN, FEB), { now: after(2 * HOUR, JAN) }));
    nothing(
      given(...startedJan()).when(pay(JAN, FEB, PRO, { invoiceId: 'in_other', blockId: 'x' }), {
        now: after(2 * HOUR, JAN),
      }),
    );
  });

  it('never grants an older period delivered late', () => {
    const history = run(startedJan(), [pay(FEB, MAR), after(HOUR, FEB)]);
    nothing(
      given(...history).when(pay(JAN, FEB, PRO, { invoiceId: 'in_late', blockId: 'late' }), {
        now: after(DAY, FEB),
      }),
    );
  });

  it('records a period already over when paid, with no credits', () => {
    given()
      .when(pay(JAN, FEB), { now: after(HOUR, FEB) })
      .then({
        type: 'SubscriptionStarted',
        data: {
          subscriptionId: 'sub_1',
          invoiceId: 'in_2026-01',
          plan: STARTER,
          periodStart: JAN,
          periodEnd: FEB,
          credits: 0,
        },
      } as LedgerEvent);
  });
});

describe('subscriptions: rollover at renewal', () => {
  it('rolls the unused credits over, up to maxCredits, even when they expired before the invoice came', () => {
    // 100 granted, 70 spent: 30 unused at the end of January; the renewal arrives an hour after.
    const history = [
      ...startedJan(),
      spent('s1', { 'sub-2026-01': 70 }, { at: after(DAY, JAN) }),
      expired('sub-2026-01', 30, { at: after(10 * 60 * 1000, FEB) }),
    ];
    given(...history)
      .when(pay(FEB, MAR), { now: after(HOUR, FEB) })
      .then(
        {
          type: 'SubscriptionRenewed',
          data: {
            subscriptionId: 'sub_1',
            invoiceId: 'in_2026-02',
            plan: STARTER,
            periodStart: FEB,
            periodEnd: MAR,
            credits: 100,
            blockId: 'sub-2026-02',
            // Two periods after the end of January.
            rollover: {
              fromPeriodEnd: FEB,
              unusedCredits: 30,
              credits: 30,
              blockId: 'roll-2026-02',
              expiresAt: APR,
            },
          },
        } as LedgerEvent,
        granted('sub-2026-02', 100, { reason: 'subscription', expiresAt: MAR }),
        granted('roll-2026-02', 30, { reason: 'rollover', expiresAt: APR }),
      );
  });

  it('expires what is due first (lazy expiry) and rolls it over up to the cap; the rest stays expired', () => {
    const events = given(...startedJan())
      .when(pay(FEB, MAR), { now: after(HOUR, FEB) })
      .then(
        expired('sub-2026-01', 100),
        {
          type: 'SubscriptionRenewed',
          data: {
            subscriptionId: 'sub_1',
            invoiceId: 'in_2026-02',
            plan: STARTER,
            periodStart: FEB,
            periodEnd: MAR,
            credits: 100,
            blockId: 'sub-2026-02',
            rollover: {
              fromPeriodEnd: FEB,
              unusedCredits: 100,
              credits: 50,
              blockId: 'roll-2026-02',
              expiresAt: APR,
            },
          },
        } as LedgerEvent,
        granted('sub-2026-02', 100, { reason: 'subscription', expiresAt: MAR }),
        granted('roll-2026-02', 50, { reason: 'rollover', expiresAt: APR }),
      );
    const state = given(...startedJan(), ...at(events, after(HOUR, FEB))).state();
    expect(state.blocks['roll-2026-02']).toMatchObject({ source: 'rollover', remaining: 50 });
    expect(state.blocks['sub-2026-01']).toMatchObject({ expired: true, remaining: 0 });
    expect(state.unexpiredRemaining).toBe(150);
  });

  it('a renewal paid before the period ends closes the old period now and rolls over what it holds', () => {
    const history = [...startedJan(), spent('s1', { 'sub-2026-01': 90 }, { at: after(DAY, JAN) })];
    const [closing, renewed] = given(...history)
      .when(pay(FEB, MAR), { now: after(-HOUR, FEB) })
      .acceptedEvents();
    expect(closing).toMatchObject({
      type: 'CreditsExpired',
      data: { blockId: 'sub-2026-01', credits: 10 },
    });
    expect(renewed.data).toMatchObject({ rollover: { unusedCredits: 10, credits: 10 } });
  });

  it('does not count credits given back after the end (a refund into the expired block) as unused', () => {
    const history = [...startedJan(), spent('s1', { 'sub-2026-01': 100 }, { at: after(DAY, JAN) })];
    const refunded = run(history, [
      { kind: 'refund', refundId: 'r1', spendId: 's1', credits: 40, reason: 'oops' },
      after(10 * 60 * 1000, FEB),
    ]);
    const renewed = renewalOf(
      given(...refunded)
        .when(pay(FEB, MAR), { now: after(HOUR, FEB) })
        .acceptedEvents(),
    );
    expect(renewed.data).toMatchObject({ rollover: { unusedCredits: 0, credits: 0 } });
  });

  it('rolls nothing with a plan of no rollover, and nothing born expired', () => {
    const none = plan('none', 100);
    const history = run([], [pay(JAN, FEB, none), after(HOUR, JAN)]);
    const [, renewed] = given(...history)
      .when(pay(FEB, MAR, none), { now: after(HOUR, FEB) })
      .acceptedEvents();
    expect(renewed.data).toMatchObject({ rollover: { unusedCredits: 100, credits: 0 } });
    // A renewal delivered after the rollover would have expired (one period for PRO).
    const pro = run([], [pay(JAN, FEB, PRO), after(HOUR, JAN)]);
    const [, late] = given(...pro)
      .when(pay(FEB, MAR, PRO), { now: after(HOUR, MAR) })
      .acceptedEvents();
    expect(late.data).toMatchObject({ credits: 0, rollover: { unusedCredits: 300, credits: 0 } });
  });

  it('never rolls a rollover block over again', () => {
    const feb = run(startedJan(), [pay(FEB, MAR), after(HOUR, FEB)]);
    const renewed = renewalOf(
      given(...feb)
        .when(pay(MAR, APR), { now: after(HOUR, MAR) })
        .acceptedEvents(),
    );
    // Only February's 100 subscription credits count; the 50 rolled from January do not.
    expect(renewed.data).toMatchObject({ rollover: { unusedCredits: 100, credits: 50 } });
  });
});

describe('subscriptions: plan changes', () => {
  it('an upgrade grants the difference at once, expiring at the period end', () => {
    given(...startedJan())
      .when(change(JAN, FEB, PRO), { now: after(DAY, JAN) })
      .then(
        {
          type: 'SubscriptionPlanChanged',
          data: {
            subscriptionId: 'sub_1',
            fromPlanId: 'starter',
            plan: PRO,
            periodStart: JAN,
            periodEnd: FEB,
            effective: 'now',
            credits: 200,
            blockId: 'up-pro-2026-01',
          },
        } as LedgerEvent,
        granted('up-pro-2026-01', 200, { reason: 'subscription', expiresAt: FEB }),
      );
  });

  it('a repeated or reordered update never grants twice', () => {
    const upgraded = run(startedJan(), [change(JAN, FEB, PRO), after(DAY, JAN)]);
    nothing(given(...upgraded).when(change(JAN, FEB, PRO, 'again'), { now: after(2 * DAY, JAN) }));
    // Downgraded back, then the old upgrade delivered again: the period already had PRO's credits.
    const down = run(upgraded, [change(JAN, FEB, STARTER), after(2 * DAY, JAN)]);
    nothing(given(...down).when(change(JAN, FEB, PRO, 'again'), { now: after(3 * DAY, JAN) }));
  });

  it('a downgrade grants nothing now and keeps the credits; the next invoice bills the new plan', () => {
    const pro = run([], [pay(JAN, FEB, PRO), after(HOUR, JAN)]);
    const events = given(...pro)
      .when(change(JAN, FEB, STARTER), { now: after(DAY, JAN) })
      .acceptedEvents();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'SubscriptionPlanChanged',
        data: expect.objectContaining({ effective: 'next_period', credits: 0 }),
      }),
    ]);
    const next = run(
      [...pro, ...at(events, after(DAY, JAN))],
      [pay(FEB, MAR, STARTER), after(HOUR, FEB)],
    );
    const state = given(...next).state();
    expect(state.blocks['sub-2026-02']).toMatchObject({ credits: 100 });
    // Rollover follows the ending period's plan (PRO: up to 100).
    expect(state.blocks['roll-2026-02']).toMatchObject({ credits: 100 });
  });

  it('an upgrade delivered before the invoice it follows: the invoice grants the larger plan', () => {
    const early = run([], [change(JAN, FEB, PRO), after(HOUR, JAN)]);
    const events = given(...early)
      .when(pay(JAN, FEB, STARTER), { now: after(2 * HOUR, JAN) })
      .acceptedEvents();
    expect(events).toMatchObject([
      { type: 'SubscriptionStarted', data: { plan: PRO, credits: 300 } },
      {
        type: 'CreditsGranted',
        data: granted('sub-2026-01', 300, { reason: 'subscription', expiresAt: FEB }).data,
      },
    ]);
  });

  it('the renewal update before its invoice changes nothing, and an update of an older period is ignored', () => {
    nothing(given(...startedJan()).when(change(FEB, MAR, STARTER), { now: after(HOUR, FEB) }));
    const feb = run(startedJan(), [pay(FEB, MAR), after(HOUR, FEB)]);
    nothing(given(...feb).when(change(JAN, FEB, PRO), { now: after(DAY, FEB) }));
  });
});

describe('subscriptions: cancellation', () => {
  it('stops later periods and keeps the credits there are', () => {
    const canceled = run(startedJan(), [
      { kind: 'cancelSubscription', subscriptionId: 'sub_1', endedAt: after(DAY, JAN) },
      after(DAY, JAN),
    ]);
    expect(canceled.at(-1)).toMatchObject({
      type: 'SubscriptionCanceled',
      data: { subscriptionId: 'sub_1', planId: 'starter', endedAt: after(DAY, JAN) },
    });
    expect(given(...canceled).state().blocks['sub-2026-01'].remaining).toBe(100);
    nothing(given(...canceled).when(pay(FEB, MAR), { now: after(HOUR, FEB) }));
    nothing(given(...canceled).when(change(JAN, FEB, PRO), { now: after(2 * DAY, JAN) }));
    nothing(
      given(...canceled).when(
        { kind: 'cancelSubscription', subscriptionId: 'sub_1', endedAt: after(DAY, JAN) },
        {
          now: after(2 * DAY, JAN),
        },
      ),
    );
  });

  it('delivered before the last invoice: a period that began before the end is still granted', () => {
    const canceled = run(
      [],
      [
        { kind: 'cancelSubscription', subscriptionId: 'sub_1', endedAt: after(DAY, JAN) },
        after(DAY, JAN),
      ],
    );
    const [started] = given(...canceled)
      .when(pay(JAN, FEB), { now: after(2 * DAY, JAN) })
      .acceptedEvents();
    expect(started).toMatchObject({ type: 'SubscriptionStarted', data: { credits: 100 } });
  });
});
