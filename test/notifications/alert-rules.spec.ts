import {
  crossedAlerts,
  nextAlertAccount,
  type AlertAccount,
  type BalanceAlert,
} from '../../src/notifications/alerts/alert-rules';
import {
  effectiveSettings,
  lowBalanceLine,
  type AlertSettings,
} from '../../src/notifications/alerts/alert-settings';
import { noticeAt, noticeStillDue } from '../../src/notifications/alerts/expiry-notice';
import type { LedgerEvent } from '../../src/ledger/events';
import { totalsChange } from '../../projections/ledger/effects';

const DEFAULTS: AlertSettings = {
  lowBalance: [100],
  percentOfLastTopUp: [20, 10, 5],
  expiringDays: 7,
};
const metadata = {
  occurredAt: '2026-03-01T12:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system' as const, id: 't' },
  schemaVersion: 1,
};
const granted = (credits: number): LedgerEvent => ({
  type: 'CreditsGranted',
  data: { blockId: 'b', credits, category: 'paid', reason: 'adjustment' },
  metadata,
});
const spent = (credits: number): LedgerEvent => ({
  type: 'CreditsSpent',
  data: { spendId: 's', credits, description: 'd', drawdown: [{ blockId: 'b', credits }] },
  metadata,
});
const change = (event: LedgerEvent): number =>
  event.type === 'CreditsGranted'
    ? event.data.credits
    : event.type === 'CreditsSpent'
      ? -event.data.credits
      : 0;

/** Given the events so far, when one more happens, then these alerts (pure: alerts/alert-rules.ts). */
function given(events: LedgerEvent[], settings: AlertSettings = DEFAULTS) {
  let account: AlertAccount = { available: 0, lastTopUp: null };
  for (const event of events) account = nextAlertAccount(account, event, change(event));
  return {
    when(event: LedgerEvent) {
      const after = nextAlertAccount(account, event, change(event));
      return { then: crossedAlerts(account, after, settings), after };
    },
  };
}
const keys = (alerts: BalanceAlert[]) => alerts.map((alert) => alert.key);

describe('balance alerts (pure rules)', () => {
  it("given 1000 granted, when an admin adjusts 950 down, then the lines fire as for a spend (the reactor's change is the read models')", () => {
    const adjusted: LedgerEvent = {
      type: 'CreditsAdjusted',
      data: {
        adjustmentId: 'a',
        credits: 950,
        reason: 'r',
        drawdown: [{ blockId: 'b', credits: 950 }],
      },
      metadata,
    };
    const before = nextAlertAccount({ available: 0, lastTopUp: null }, granted(1000), 1000);
    const after = nextAlertAccount(before, adjusted, totalsChange(adjusted).available);
    expect(after).toEqual({ available: 50, lastTopUp: 1000 });
    // 50 left: below 100, 200 and 100 (10 %), not below 50 (5 %).
    expect(keys(crossedAlerts(before, after, DEFAULTS))).toEqual(['abs:100', 'pct:20', 'pct:10']);
  });

  it('given 1000 granted, when 850 are spent, then 20 % of the last top-up is crossed', () => {
    const { then } = given([granted(1000)]).when(spent(850));
    expect(then).toEqual([
      {
        type: 'balance.low',
        key: 'pct:20',
        threshold: '20%',
        kind: 'percentOfLastTopUp',
        thresholdCredits: 200,
        available: 150,
      },
    ]);
  });

  it('given 1000 granted, when everything is spent at once, then every line fires once, then depleted', () => {
    const { then } = given([granted(1000)]).when(spent(1000));
    expect(keys(then)).toEqual(['abs:100', 'pct:20', 'pct:10', 'pct:5', 'depleted']);
    expect(then.find((alert) => alert.key === 'abs:100')).toMatchObject({
      threshold: 100,
      kind: 'absolute',
      available: 0,
    });
  });

  it('given a line already crossed, when more is spent below it, then it does not fire again', () => {
    expect(given([granted(1000), spent(960)]).when(spent(10)).then).toEqual([]);
  });

  it('given a line crossed, when the account recovers to it and falls again, then it fires again', () => {
    const history = [granted(150), spent(60), granted(20)]; // 90 → 110 (lastTopUp 20)
    expect(keys(given(history).when(spent(20)).then)).toEqual(['abs:100']);
  });

  it('given exactly at a line, when nothing is spent, then nothing fires; one credit below fires', () => {
    expect(given([granted(100)]).when(granted(0)).then).toEqual([]);
    expect(keys(given([granted(101)]).when(spent(1)).then)).toEqual([]);
    expect(keys(given([granted(100)]).when(spent(1)).then)).toEqual(['abs:100']);
  });

  it('given a new account, when the first grant is below the lines, then nothing fires (never crossed down)', () => {
    expect(given([]).when(granted(20)).then).toEqual([]);
  });

  it('given per-account settings, when spending, then only those lines fire', () => {
    const settings = { lowBalance: [500, 50], percentOfLastTopUp: [], expiringDays: 3 };
    expect(keys(given([granted(1000)], settings).when(spent(600)).then)).toEqual(['abs:500']);
    expect(keys(given([granted(1000)], settings).when(spent(960)).then)).toEqual([
      'abs:500',
      'abs:50',
    ]);
  });

  it('given the defaults, the settings fill in what an account left out', () => {
    expect(
      effectiveSettings(undefined, { lowBalanceThreshold: 100, expiringNoticeDays: 7 }),
    ).toEqual(DEFAULTS);
    const custom = effectiveSettings(
      { lowBalance: [], percentOfLastTopUp: null, expiringDays: 2 },
      { lowBalanceThreshold: 100, expiringNoticeDays: 7 },
    );
    expect(custom).toEqual({ lowBalance: [], percentOfLastTopUp: [20, 10, 5], expiringDays: 2 });
    expect(lowBalanceLine(custom)).toBeNull();
    expect(lowBalanceLine({ ...custom, lowBalance: [50, 300] })).toBe(300);
  });

  it('a top-up moves the percent lines with it', () => {
    const { after } = given([granted(1000), spent(900)]).when(granted(50));
    expect(after).toEqual({ available: 150, lastTopUp: 50 });
  });
});

describe('expiry notices (pure rules)', () => {
  it('is due expiringDays before the expiry, while the block holds credits and has not expired', () => {
    const at = noticeAt('2026-03-10T00:00:00.000Z', 7);
    expect(at.toISOString()).toBe('2026-03-03T00:00:00.000Z');
    const notice = { remaining: 5, expiresAt: new Date('2026-03-10T00:00:00.000Z'), noticeAt: at };
    expect(noticeStillDue(notice, new Date('2026-03-02T23:59:59.000Z'))).toBe(false);
    expect(noticeStillDue(notice, new Date('2026-03-03T00:00:00.000Z'))).toBe(true);
    expect(noticeStillDue({ ...notice, remaining: 0 }, new Date('2026-03-05T00:00:00.000Z'))).toBe(
      false,
    );
    expect(noticeStillDue(notice, new Date('2026-03-10T00:00:00.000Z'))).toBe(false);
  });
});
