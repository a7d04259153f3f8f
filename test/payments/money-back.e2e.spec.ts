import { Writable } from 'node:stream';
import { auditStream } from '../../src/audit';
import { CLI_COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/run-cli';
import { loadConfig } from '../../src/config/load-config';
import type { HttpResponse, TestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-database';
import { FakeStripeApi } from './support/fake-stripe-api';
import {
  deliverStripeEvent,
  startWithFakeStripe,
  type StripeTestApp,
} from './support/stripe-test-app';
import {
  WEBHOOK_SECRET,
  charge,
  checkoutSession,
  dispute,
  event,
  refund,
  stripeId,
  type StripeEventJson,
} from './support/stripe-events';

const BASIC = { packId: 'basic', credits: 100, amountTotal: 1000 };

/**
 * Money that changes its mind (issue 21): won disputes and failed refunds give back what their
 * reversal took, exactly once, whatever order, repetition or concurrency Stripe delivers them in.
 */
describe('Stripe webhook: won disputes and failed refunds', () => {
  let db: TestDatabase;
  let t: TestApp;
  const stripeApi = new FakeStripeApi();
  let app: StripeTestApp | undefined;

  beforeAll(async () => {
    app = await startWithFakeStripe(stripeApi, {
      STRIPE_SECRET_KEY: 'sk_test_fake',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    ({ t, db } = app);
  });
  afterAll(() => app?.close());
  afterEach(() => expect(stripeApi.requests).toEqual([]));

  const deliver = (body: StripeEventJson): Promise<HttpResponse> => deliverStripeEvent(t, body);

  async function deliverAll(events: StripeEventJson[]): Promise<void> {
    for (const e of events) expect((await deliver(e)).status).toBe(200);
  }

  async function balanceOf(accountId: string): Promise<number> {
    return (await t.http.get(`/v1/accounts/${accountId}/balance`)).body.balance;
  }

  async function ledgerEvents(accountId: string): Promise<Array<{ type: string; data: any }>> {
    const { rows } = await db.pool.query(
      'SELECT type, data FROM events WHERE stream_id = $1 ORDER BY revision',
      [`credits-${accountId}`],
    );
    return rows;
  }

  async function audit(eventId: string): Promise<any> {
    const { rows } = await db.pool.query('SELECT * FROM stripe_events WHERE event_id = $1', [
      eventId,
    ]);
    return rows[0];
  }

  function purchaseOf(accountId: string, pi: string): StripeEventJson {
    return event(
      'checkout.session.completed',
      checkoutSession({
        accountId,
        packId: BASIC.packId,
        amountTotal: BASIC.amountTotal,
        paymentIntent: pi,
      }),
    );
  }

  function disputeEvents(pi: string) {
    const id = stripeId('dp');
    return {
      id,
      created: event('charge.dispute.created', dispute({ paymentIntent: pi, amount: 1000, id })),
      won: event(
        'charge.dispute.closed',
        dispute({ paymentIntent: pi, amount: 1000, id, status: 'won' }),
      ),
      lost: event(
        'charge.dispute.closed',
        dispute({ paymentIntent: pi, amount: 1000, id, status: 'lost' }),
      ),
      reinstated: event(
        'charge.dispute.funds_reinstated',
        dispute({ paymentIntent: pi, amount: 1000, id, status: 'won' }),
      ),
    };
  }

  describe('disputes', () => {
    it('gives back what a won dispute removed, once, with an event naming the reversal; spent credits are shortfall cancelled', async () => {
      const pi = stripeId('pi');
      await deliverAll([purchaseOf('dispute-won', pi)]);
      expect(
        (
          await t.http.post('/v1/accounts/dispute-won/spends', {
            credits: 30,
            description: 'render',
          })
        ).status,
      ).toBe(201);
      const d = disputeEvents(pi);
      await deliverAll([d.created]);
      expect(await balanceOf('dispute-won')).toBe(0);
      await Promise.all([deliver(d.won), deliver(d.won), deliver(d.reinstated)]);
      await deliverAll([d.won, d.created]);
      expect(await balanceOf('dispute-won')).toBe(70);

      const events = await ledgerEvents('dispute-won');
      expect(events.map((e) => e.type)).toEqual([
        'CreditsPurchased',
        'CreditsSpent',
        'PurchaseReversed',
        'ReversalUndone',
      ]);
      expect(events[2].data).toMatchObject({
        reversalId: `dispute:${d.id}`,
        credits: 100,
        shortfall: 30,
        reason: 'dispute',
      });
      expect(events[3].data).toMatchObject({
        reversalId: `dispute:${d.id}`,
        credits: 70,
        shortfallCancelled: 30,
        reason: 'dispute',
        providerRef: pi,
        restored: [{ blockId: events[0].data.blockId, credits: 70 }],
      });
      expect(await audit(d.won.id)).toMatchObject({
        outcome: expect.stringMatching(/^(reinstated|duplicate)$/),
      });
      const outcomes = [await audit(d.won.id), await audit(d.reinstated.id)]
        .map((row) => row.outcome)
        .sort();
      expect(outcomes).toEqual(['duplicate', 'reinstated']);
    });

    it('never reverses a dispute whose win arrives first, in any order and repeated', async () => {
      const pi = stripeId('pi');
      const d = disputeEvents(pi);
      await deliverAll([d.won, purchaseOf('dispute-won-first', pi), d.created, d.won, d.created]);
      expect(await balanceOf('dispute-won-first')).toBe(100);
      const types = (await ledgerEvents('dispute-won-first')).map((e) => e.type);
      expect(types).toEqual(['CreditsPurchased', 'ReversalUndone']);
    });

    it('changes nothing further for a lost dispute', async () => {
      const pi = stripeId('pi');
      const d = disputeEvents(pi);
      await deliverAll([purchaseOf('dispute-lost', pi), d.created, d.lost, d.lost]);
      expect(await balanceOf('dispute-lost')).toBe(0);
      expect((await ledgerEvents('dispute-lost')).map((e) => e.type)).toEqual([
        'CreditsPurchased',
        'PurchaseReversed',
      ]);
      expect(await audit(d.lost.id)).toMatchObject({ outcome: 'ignored' });
    });

    it('ends the same when purchase, dispute and win race each other', async () => {
      const pi = stripeId('pi');
      const d = disputeEvents(pi);
      const purchase = purchaseOf('dispute-race', pi);
      const responses = await Promise.all(
        [d.created, purchase, d.won, d.reinstated, d.created, purchase, d.won].map((e) =>
          deliver(e),
        ),
      );
      // A race lost to the ledger's optimistic concurrency is a 5xx that Stripe retries: retry once.
      for (const [i, response] of responses.entries()) {
        if (response.status !== 200)
          expect(
            (
              await deliver(
                [d.created, purchase, d.won, d.reinstated, d.created, purchase, d.won][i],
              )
            ).status,
          ).toBe(200);
      }
      await deliverAll([d.created, d.won]);
      expect(await balanceOf('dispute-race')).toBe(100);
      const events = await ledgerEvents('dispute-race');
      expect(events.filter((e) => e.type === 'ReversalUndone')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'PurchaseReversed').length).toBeLessThanOrEqual(1);
    });
  });

  describe('refunds that do not happen', () => {
    it('re-credits a refund that failed, once; a later cumulative refund reverses again', async () => {
      const pi = stripeId('pi');
      const reId = stripeId('re');
      await deliverAll([purchaseOf('refund-failed', pi)]);
      const refunded = event(
        'charge.refunded',
        charge({ paymentIntent: pi, amount: 1000, amountRefunded: 400 }),
      );
      const failed = event(
        'charge.refund.updated',
        refund({ paymentIntent: pi, amount: 400, status: 'failed', id: reId }),
      );
      await deliverAll([refunded]);
      expect(await balanceOf('refund-failed')).toBe(60);
      await Promise.all([deliver(failed), deliver(failed)]);
      await deliverAll([failed, refunded]);
      expect(await balanceOf('refund-failed')).toBe(100);
      const undone = (await ledgerEvents('refund-failed')).filter(
        (e) => e.type === 'ReversalUndone',
      );
      expect(undone).toHaveLength(1);
      expect(undone[0].data).toMatchObject({
        reversalId: `refund:${reId}`,
        credits: 40,
        reason: 'refund',
      });
      expect(await audit(failed.id)).toMatchObject({ outcome: 'reinstated', attempts: 3 });

      // Another refund of 3.00 later: amount_refunded counts the failed one too (4.00 + 3.00).
      await deliverAll([
        event('charge.refunded', charge({ paymentIntent: pi, amount: 1000, amountRefunded: 700 })),
      ]);
      expect(await balanceOf('refund-failed')).toBe(70);
    });

    it('a failed refund delivered before its charge.refunded reverses nothing', async () => {
      const pi = stripeId('pi');
      const reId = stripeId('re');
      const refunded = event(
        'charge.refunded',
        charge({ paymentIntent: pi, amount: 1000, amountRefunded: 1000 }),
      );
      const canceled = event(
        'charge.refund.updated',
        refund({ paymentIntent: pi, amount: 1000, status: 'canceled', id: reId }),
      );
      await deliverAll([purchaseOf('refund-canceled-first', pi), canceled, refunded, canceled]);
      expect(await balanceOf('refund-canceled-first')).toBe(100);
      expect((await ledgerEvents('refund-canceled-first')).map((e) => e.type)).toEqual([
        'CreditsPurchased',
        'ReversalUndone',
      ]);
    });

    it('a refund that succeeds after all changes nothing twice', async () => {
      const pi = stripeId('pi');
      const reId = stripeId('re');
      await deliverAll([
        purchaseOf('refund-succeeded', pi),
        event('charge.refunded', charge({ paymentIntent: pi, amount: 1000, amountRefunded: 1000 })),
        event(
          'charge.refund.updated',
          refund({ paymentIntent: pi, amount: 1000, status: 'succeeded', id: reId }),
        ),
      ]);
      expect(await balanceOf('refund-succeeded')).toBe(0);
      expect((await ledgerEvents('refund-succeeded')).map((e) => e.type)).toEqual([
        'CreditsPurchased',
        'PurchaseReversed',
      ]);
    });
  });

  describe('sessions that go nowhere', () => {
    const session = (
      accountId: string,
      status: 'complete' | 'expired',
      paymentStatus: 'paid' | 'unpaid',
      sessionId: string,
    ) =>
      checkoutSession({
        accountId,
        packId: BASIC.packId,
        amountTotal: BASIC.amountTotal,
        status,
        paymentStatus,
        sessionId,
        paymentIntent: status === 'expired' ? null : `pi_for_${sessionId}`,
      });

    it('records expired and failed sessions per account, newest first, never as credits, whatever the order', async () => {
      const expiredId = stripeId('cs');
      const failedId = stripeId('cs');
      const expired = event(
        'checkout.session.expired',
        session('support-sessions', 'expired', 'unpaid', expiredId),
      );
      const unpaid = event(
        'checkout.session.completed',
        session('support-sessions', 'complete', 'unpaid', failedId),
      );
      const failed = event(
        'checkout.session.async_payment_failed',
        session('support-sessions', 'complete', 'unpaid', failedId),
      );
      // The failure first, then the (older) completion and repeats: the status never goes back.
      await deliverAll([expired, failed, unpaid, expired, failed]);
      const paidId = stripeId('cs');
      await deliverAll([
        event(
          'checkout.session.completed',
          session('support-sessions', 'complete', 'paid', paidId),
        ),
      ]);

      const response = await t.http.get('/v1/accounts/support-sessions/checkout-sessions');
      expect(response.status).toBe(200);
      const byId = Object.fromEntries(response.body.data.map((row: any) => [row.sessionId, row]));
      expect(byId[expiredId]).toMatchObject({
        status: 'expired',
        packId: 'basic',
        amount: { minor: 1000, currency: 'USD' },
      });
      expect(byId[failedId]).toMatchObject({ status: 'failed' });
      expect(byId[paidId]).toMatchObject({ status: 'complete' });
      const created = response.body.data.map((row: any) => row.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      expect(await audit(expired.id)).toMatchObject({
        outcome: 'session_expired',
        account_id: 'support-sessions',
      });
      // Only the paid session credited anything.
      expect((await ledgerEvents('support-sessions')).map((e) => e.type)).toEqual([
        'CreditsPurchased',
      ]);
    });

    it('lists nothing for an account without sessions', async () => {
      expect((await t.http.get('/v1/accounts/no-sessions/checkout-sessions')).body).toEqual({
        data: [],
      });
    });
  });

  it("the audit finds every account's stream consistent after all of it (reinstatements included)", async () => {
    const { rows: streams } = await db.pool.query(
      `SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'credits-%'`,
    );
    expect(streams.length).toBeGreaterThan(5);
    for (const { stream_id: streamId } of streams) {
      const { rows } = await db.pool.query(
        'SELECT revision, type, data, metadata, recorded_at FROM events WHERE stream_id = $1 ORDER BY revision',
        [streamId],
      );
      const report = auditStream(
        streamId.slice('credits-'.length),
        rows.map((row: any) => ({
          revision: Number(row.revision),
          type: row.type,
          data: row.data,
          metadata: row.metadata,
          recordedAt: row.recorded_at,
        })),
        { now: t.clock.now() },
      );
      expect({ streamId, violations: report.violations }).toEqual({ streamId, violations: [] });
    }
  });

  it('ledger audit --payments sums money in, refunded, disputed, reinstated and the shortfall, reconciling to the events to the credit', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const config = loadConfig({ DATABASE_URL: db.connectionString, LOG_LEVEL: 'silent' });
    const code = await runCli(
      ['audit', '--payments', '--from', '2000-01-01T00:00:00Z', '--format', 'json'],
      config,
      CLI_COMMANDS,
      { stdout, stderr, interactive: false },
    );
    expect({ code, stderr: stderr.text }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(stdout.text);
    const usd = summary.totals.find((t: any) => t.currency === 'USD');

    // The same figures straight from the events table.
    const { rows } = await db.pool.query(
      `SELECT type, data FROM events WHERE stream_id LIKE 'credits-%' AND type IN ('CreditsPurchased', 'PurchaseReversed', 'ReversalUndone')`,
    );
    const sum = (type: string, f: (data: any) => number) =>
      rows.filter((r) => r.type === type).reduce((total, r) => total + f(r.data), 0);
    expect(usd.purchases).toBe(rows.filter((r) => r.type === 'CreditsPurchased').length);
    expect(usd.moneyInMinor).toBe(sum('CreditsPurchased', (d) => d.amountPaid.minor));
    expect(usd.refunded.credits + usd.disputed.credits).toBe(
      sum('PurchaseReversed', (d) => d.credits),
    );
    expect(usd.disputed.credits).toBe(
      sum('PurchaseReversed', (d) => (d.reason === 'dispute' ? d.credits : 0)),
    );
    expect(usd.reinstated.credits).toBe(sum('ReversalUndone', (d) => d.credits));
    expect(usd.shortfallCredits).toBe(
      sum('PurchaseReversed', (d) => d.shortfall) -
        sum('ReversalUndone', (d) => d.shortfallCancelled),
    );
    expect(usd.netCredits).toBe(
      sum('CreditsPurchased', (d) => d.credits) -
        sum('PurchaseReversed', (d) => d.credits - d.shortfall) +
        sum('ReversalUndone', (d) => d.credits),
    );
    expect(usd.reinstated.credits).toBeGreaterThan(0);

    // `ledger verify`: the read models (history with its reinstatement rows, balances, blocks) equal
    // a fresh fold of every stream. The projector may still be catching up on a busy machine: retry.
    let verified = { code: -1, out: '' };
    for (let attempt = 0; attempt < 20 && verified.code !== 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const out = new Capture();
      verified = {
        code: await runCli(['verify'], config, CLI_COMMANDS, {
          stdout: out,
          stderr: out,
          interactive: false,
        }),
        out: out.text,
      };
    }
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toMatch(/events checked .*: no differences/);

    // An empty period is empty.
    const empty = new Capture();
    await runCli(
      [
        'audit',
        '--payments',
        '--from',
        '2001-01-01T00:00:00Z',
        '--to',
        '2001-02-01T00:00:00Z',
        '--format',
        'json',
      ],
      config,
      CLI_COMMANDS,
      { stdout: empty, stderr, interactive: false },
    );
    expect(JSON.parse(empty.text).totals).toEqual([]);
  });
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}
