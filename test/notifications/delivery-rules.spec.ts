import { Webhook } from 'standardwebhooks';
import {
  afterAttempt,
  isSuccess,
  shouldDisable,
} from '../../src/notifications/webhooks/retry-policy';
import { newWebhookSecret, signedHeaders } from '../../src/notifications/webhooks/signature';
import { checkUrlForm, isBlockedAddress } from '../../src/notifications/webhooks/url-policy';
import { ledgerFact } from '../../src/notifications/webhooks/ledger-facts';

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('retry schedule', () => {
  const schedule = [5, 300, 1800];

  it('waits each step of the schedule after a failure, then gives up', () => {
    expect(afterAttempt(false, 0, schedule, NOW)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(NOW.getTime() + 5_000),
      scheduleStep: 1,
    });
    expect(afterAttempt(false, 2, schedule, NOW)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date(NOW.getTime() + 1_800_000),
      scheduleStep: 3,
    });
    expect(afterAttempt(false, 3, schedule, NOW)).toEqual({ status: 'failed' });
    expect(afterAttempt(true, 3, schedule, NOW)).toEqual({ status: 'succeeded' });
  });

  it('the default schedule retries for more than 24 hours', () => {
    const defaults = [5, 300, 1800, 7200, 18000, 36000, 36000];
    expect(defaults.reduce((a, b) => a + b, 0)).toBeGreaterThan(86_400);
  });

  it('disables an endpoint failing for 5 days', () => {
    const fiveDays = 5 * 86_400;
    expect(shouldDisable(null, NOW, fiveDays)).toBe(false);
    expect(shouldDisable(new Date(NOW.getTime() - fiveDays * 1000 + 1), NOW, fiveDays)).toBe(false);
    expect(shouldDisable(new Date(NOW.getTime() - fiveDays * 1000), NOW, fiveDays)).toBe(true);
  });

  it('counts only 2xx as success', () => {
    expect([200, 204, 299, 300, 404, 500, null].map(isSuccess)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('Standard Webhooks signatures', () => {
  it('are verified by the standardwebhooks package', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'balance.low', timestamp: NOW.toISOString(), data: {} });
    const seconds = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'msg_abc', seconds, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe('endpoint URL policy (SSRF)', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.100.100.200', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00:ec2::254', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:4700:4700::1111', false],
    ['not-an-ip', true],
  ])('%s blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });

  it('takes only http(s) URLs without credentials', () => {
    expect(checkUrlForm('https://example.com/x').ok).toBe(true);
    expect(checkUrlForm('file:///etc/passwd').ok).toBe(false);
    expect(checkUrlForm('https://user:pw@example.com/').ok).toBe(false);
    expect(checkUrlForm('nonsense').ok).toBe(false);
  });
});

describe('ledger facts', () => {
  const metadata = {
    occurredAt: NOW.toISOString(),
    correlationId: 'c',
    actor: { kind: 'system' as const, id: 't' },
    schemaVersion: 1,
  };

  it('publishes purchases, grants, refunds, expiries and reversals, not spends', () => {
    expect(
      ledgerFact(
        {
          type: 'CreditsExpired',
          data: { blockId: 'b1', credits: 4 },
          metadata,
        },
        'acct',
      ),
    ).toEqual({ type: 'credits.expired', data: { blockId: 'b1', credits: 4 } });
    expect(
      ledgerFact(
        {
          type: 'CreditsSpent',
          data: { spendId: 's', credits: 1, description: 'd', drawdown: [] },
          metadata,
        },
        'acct',
      ),
    ).toBeNull();
    expect(
      ledgerFact(
        {
          type: 'PurchaseReversed',
          data: { purchaseId: 'p', credits: 10, removed: [], shortfall: 3, reason: 'dispute' },
          metadata,
        },
        'acct',
      )?.type,
    ).toBe('purchase.reversed');
  });

  it('publishes a transfer once, on the destination, and not a merge', () => {
    const received = (purpose: 'transfer' | 'merge') =>
      ledgerFact(
        {
          type: 'TransferReceived',
          data: { transferId: 't1', from: 'user:ann', credits: 30, purpose, blocks: [] },
          metadata,
        },
        'user:bob',
      );
    expect(received('transfer')).toEqual({
      type: 'transfer.completed',
      data: { transferId: 't1', from: 'user:ann', to: 'user:bob', credits: 30 },
    });
    expect(received('merge')).toBeNull();
    expect(
      ledgerFact(
        {
          type: 'TransferSent',
          data: {
            transferId: 't1',
            to: 'user:bob',
            credits: 30,
            reason: 'gift',
            purpose: 'transfer',
            drawdown: [],
          },
          metadata,
        },
        'user:ann',
      ),
    ).toBeNull();
  });

  it('publishes renewals (without balances: their credits follow), cancellations and auto top-ups', () => {
    const plan = {
      planId: 'pro',
      creditsPerPeriod: 500,
      rollover: { maxCredits: 100, expiresAfterPeriods: 1 },
    };
    expect(
      ledgerFact(
        {
          type: 'SubscriptionRenewed',
          data: {
            subscriptionId: 'sub_1',
            invoiceId: 'in_2',
            plan,
            periodStart: '2026-04-01T00:00:00.000Z',
            periodEnd: '2026-05-01T00:00:00.000Z',
            credits: 500,
            blockId: 'b2',
            rollover: {
              fromPeriodEnd: '2026-04-01T00:00:00.000Z',
              unusedCredits: 150,
              credits: 100,
            },
          },
          metadata,
        },
        'acct',
      ),
    ).toEqual({
      type: 'subscription.renewed',
      data: {
        subscriptionId: 'sub_1',
        invoiceId: 'in_2',
        planId: 'pro',
        periodStart: '2026-04-01T00:00:00.000Z',
        periodEnd: '2026-05-01T00:00:00.000Z',
        credits: 500,
        rolloverCredits: 100,
      },
      withBalances: false,
    });
    expect(
      ledgerFact(
        {
          type: 'SubscriptionCanceled',
          data: { subscriptionId: 'sub_1', planId: 'pro', endedAt: '2026-05-01T00:00:00.000Z' },
          metadata,
        },
        'acct',
      )?.type,
    ).toBe('subscription.canceled');
    expect(
      ledgerFact(
        {
          type: 'AutoTopUpFailed',
          data: {
            paymentIntentId: 'pi_1',
            packId: 'basic',
            reason: 'card_declined',
            consecutiveFailures: 3,
            disabled: true,
          },
          metadata,
        },
        'acct',
      ),
    ).toEqual({
      type: 'auto_top_up.failed',
      data: {
        paymentIntentId: 'pi_1',
        packId: 'basic',
        reason: 'card_declined',
        consecutiveFailures: 3,
        disabled: true,
      },
    });
    expect(
      ledgerFact(
        {
          type: 'AutoTopUpSucceeded',
          data: { paymentIntentId: 'pi_2', packId: 'basic', credits: 100, purchaseId: 'pur_2' },
          metadata,
        },
        'acct',
      ),
    ).toEqual({
      type: 'auto_top_up.succeeded',
      data: { paymentIntentId: 'pi_2', packId: 'basic', credits: 100, purchaseId: 'pur_2' },
    });
    expect(
      ledgerFact(
        {
          type: 'SubscriptionStarted',
          data: {
            subscriptionId: 'sub_1',
            invoiceId: 'in_1',
            plan,
            periodStart: '2026-03-01T00:00:00.000Z',
            periodEnd: '2026-04-01T00:00:00.000Z',
            credits: 500,
          },
          metadata,
        },
        'acct',
      ),
    ).toBeNull();
  });
});
