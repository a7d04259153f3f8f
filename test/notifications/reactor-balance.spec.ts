import { LEDGER_EVENT_TYPES, evolve, initialState, type LedgerEvent } from '../../src/ledger';
import { nextAlertAccount } from '../../src/notifications/alerts/alert-rules';
import {
  foldReactorAccount,
  newReactorAccount,
} from '../../src/notifications/reactor/account-fold';
import { RETENTION_MS, longStream } from '../ledger/long-stream';

const metadata = {
  occurredAt: '2026-03-01T12:00:00.000Z',
  correlationId: 'c',
  actor: { kind: 'system' as const, id: 't' },
  schemaVersion: 1,
};

/**
 * The notifications reactor keeps its own per-account credits (no read of a projection on another
 * checkpoint): they must equal the ledger's `available` and `reserved` after every event of every
 * type — transfers, gift codes, subscriptions and auto top-ups included.
 */
describe("the reactor's balance", () => {
  it("equals the ledger's available and reserved after every event of a stream of every type", () => {
    const events = longStream(4_000);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(LEDGER_EVENT_TYPES));
    const state = initialState({ idempotencyRetentionMs: RETENTION_MS });
    let account = newReactorAccount('acct');
    const drifts: string[] = [];
    events.forEach((event, revision) => {
      evolve(state, event);
      account = foldReactorAccount(account, event, revision);
      if (account.available !== state.unexpiredRemaining || account.reserved !== state.reserved)
        drifts.push(
          `${revision} ${event.type}: ${account.available}/${account.reserved} vs ${state.unexpiredRemaining}/${state.reserved}`,
        );
    });
    expect(drifts.slice(0, 5)).toEqual([]);
    expect(account.revision).toBe(events.length - 1);
  });
});

describe('what counts as a top-up for the percent lines', () => {
  const lastTopUpAfter = (event: LedgerEvent) =>
    nextAlertAccount({ available: 0, lastTopUp: 1000 }, event, 0).lastTopUp;
  const grant = (reason: 'subscription' | 'rollover' | 'promotion'): LedgerEvent => ({
    type: 'CreditsGranted',
    data: { blockId: 'b', credits: 40, category: 'promotional', reason },
    metadata,
  });

  it('a purchase, a subscription grant and another grant are', () => {
    expect(lastTopUpAfter(grant('subscription'))).toBe(40);
    expect(lastTopUpAfter(grant('promotion'))).toBe(40);
    expect(
      lastTopUpAfter({
        type: 'CreditsPurchased',
        data: {
          blockId: 'p',
          purchaseId: 'pur',
          credits: 40,
          amountPaid: { minor: 400, currency: 'USD' },
          provider: 'stripe',
          providerRef: 'pi_1',
        },
        metadata,
      }),
    ).toBe(40);
  });

  it('a rollover, a transfer in, a returned transfer and a redeemed gift code are not', () => {
    expect(lastTopUpAfter(grant('rollover'))).toBe(1000);
    expect(
      lastTopUpAfter({
        type: 'TransferReceived',
        data: { transferId: 't', from: 'a', credits: 40, purpose: 'transfer', blocks: [] },
        metadata,
      }),
    ).toBe(1000);
    expect(
      lastTopUpAfter({
        type: 'TransferReturned',
        data: {
          transferId: 't',
          to: 'b',
          credits: 40,
          purpose: 'transfer',
          reason: 'account_closed',
          returnedTo: [],
        },
        metadata,
      }),
    ).toBe(1000);
    expect(
      lastTopUpAfter({
        type: 'GiftCodeRedeemed',
        data: { codeHash: 'h', credits: 40, blocks: [] },
        metadata,
      }),
    ).toBe(1000);
  });
});
