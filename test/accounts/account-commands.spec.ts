import type { Provider } from '@nestjs/common';
import { CqrsModule, CommandBus } from '@nestjs/cqrs';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ACCOUNT_COMMAND_HANDLERS,
  CaptureReservation,
  ExpireDue,
  AdjustCredits,
  GrantCredits,
  PurchaseCredits,
  RefundSpend,
  ReinstateReversal,
  PaySubscriptionPeriod,
  ChangeSubscriptionPlan,
  CancelSubscription,
  RecordAutoTopUp,
  ReleaseReservation,
  ReserveCredits,
  ReversePurchase,
  SpendCredits,
  SetMember,
  RemoveMember,
  FundGiftCodes,
  RedeemGiftCode,
  toAccountCommand,
  WelcomeCredits,
  SendTransfer,
  ReceiveTransfer,
  ReturnTransfer,
  MergeAccount,
  type AccountCommand,
} from '../../src/accounts/commands';
import { WRITE_PATH_PROVIDERS } from '../../src/accounts/write-path';
import { AccountMailbox } from '../../src/accounts/write-path/account-mailbox';
import type { CallerContext } from '../../src/accounts/write-path/caller-context';
import type { WriteOutcome } from '../../src/accounts/write-path/write-outcome';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { DATABASE } from '../../src/database/database';
import { EVENT_STORE } from '../../src/event-store/event-store.port';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import type { LedgerCommand } from '../../src/ledger/commands';
import { streamIdFor } from '../../src/ledger/limits';
import { MetricsRegistry } from '../../src/observability/metrics-registry';
import { Clock, ManualClock } from '../../src/shared/clock';

const T0 = '2026-03-01T12:00:00.000Z';
const HOUR = 3_600_000;
const CALLER: CallerContext = {
  correlationId: 'account-commands',
  actor: { kind: 'apiKey', id: 't' },
};

type CommandClass = new (
  accountId: string,
  command: never,
  context: CallerContext,
) => AccountCommand;

/** Every ledger command kind, its use case, and a command of that kind (a Record: none missed). */
const USE_CASES: Record<LedgerCommand['kind'], { useCase: CommandClass; command: LedgerCommand }> =
  {
    purchase: {
      useCase: PurchaseCredits,
      command: {
        kind: 'purchase',
        blockId: 'block_paid',
        purchaseId: 'purchase_1',
        credits: 100,
        amountPaid: { minor: 1_000, currency: 'EUR' },
        provider: 'manual',
        providerRef: 'pi_1',
      },
    },
    adjust: {
      useCase: AdjustCredits,
      command: {
        kind: 'adjust',
        adjustmentId: 'adjustment_1',
        credits: 5,
        reason: 'correction',
      },
    },
    grant: {
      useCase: GrantCredits,
      command: {
        kind: 'grant',
        blockId: 'block_promo',
        credits: 50,
        category: 'promotional',
        reason: 'signup',
        expiresAt: new Date(Date.parse(T0) + HOUR).toISOString(),
      },
    },
    spend: {
      useCase: SpendCredits,
      command: { kind: 'spend', spendId: 'spend_1', credits: 10, description: 'one call' },
    },
    refund: {
      useCase: RefundSpend,
      command: {
        kind: 'refund',
        refundId: 'refund_1',
        spendId: 'spend_1',
        credits: 4,
        reason: 'x',
      },
    },
    reserve: {
      useCase: ReserveCredits,
      command: { kind: 'reserve', reservationId: 'res_1', credits: 20, ttlSeconds: 900 },
    },
    capture: {
      useCase: CaptureReservation,
      command: { kind: 'capture', reservationId: 'res_1', spendId: 'spend_2', credits: 20 },
    },
    release: {
      useCase: ReleaseReservation,
      command: { kind: 'release', reservationId: 'res_2' },
    },
    expire: { useCase: ExpireDue, command: { kind: 'expire' } },
    reverse: {
      useCase: ReversePurchase,
      command: {
        kind: 'reverse',
        providerRef: 'pi_1',
        credits: 5,
        reason: 'dispute',
        reversalId: 'dispute:du_1',
      },
    },
    reinstate: {
      useCase: ReinstateReversal,
      command: {
        kind: 'reinstate',
        providerRef: 'pi_1',
        reversalId: 'dispute:du_1',
        reason: 'dispute',
      },
    },
    'set-member': {
      useCase: SetMember,
      command: { kind: 'set-member', memberId: 'user:ann', limit: { credits: 5, period: 'day' } },
    },
    'remove-member': {
      useCase: RemoveMember,
      command: { kind: 'remove-member', memberId: 'user:ann' },
    },
    'fund-gift-codes': {
      useCase: FundGiftCodes,
      command: { kind: 'fund-gift-codes', mintId: 'mint_1', creditsPerCode: 5, count: 2 },
    },
    'redeem-gift-code': {
      useCase: RedeemGiftCode,
      command: {
        kind: 'redeem-gift-code',
        codeHash: 'a'.repeat(64),
        parts: [{ credits: 5, category: 'promotional', expiresAt: null }],
        blockIds: ['block_gift'],
      },
    },
    welcome: {
      useCase: WelcomeCredits,
      command: { kind: 'welcome', blockId: 'block_welcome', credits: 100, reason: 'signup' },
    },
    transfer: {
      useCase: SendTransfer,
      command: { kind: 'transfer', transferId: 'tr_1', to: 'org:other', credits: 5, reason: 'x' },
    },
    receive: {
      useCase: ReceiveTransfer,
      command: {
        kind: 'receive',
        transferId: 'tr_2',
        from: 'org:other',
        purpose: 'transfer',
        blocks: [{ blockId: 'block_in', credits: 3, category: 'paid', fromBlockId: 'b' }],
      },
    },
    return: {
      useCase: ReturnTransfer,
      command: { kind: 'return', transferId: 'tr_1', reason: 'account_closed' },
    },
    merge: {
      useCase: MergeAccount,
      command: { kind: 'merge', mergeId: 'merge_1', into: 'org:other' },
    },
    paySubscriptionPeriod: {
      useCase: PaySubscriptionPeriod,
      command: {
        kind: 'paySubscriptionPeriod',
        subscriptionId: 'sub_1',
        invoiceId: 'in_1',
        plan: {
          planId: 'pro',
          creditsPerPeriod: 100,
          rollover: { maxCredits: 50, expiresAfterPeriods: 2 },
        },
        periodStart: T0,
        periodEnd: new Date(Date.parse(T0) + 30 * 24 * HOUR).toISOString(),
        blockId: 'block_sub',
        rolloverBlockId: 'block_rollover',
      },
    },
    changeSubscriptionPlan: {
      useCase: ChangeSubscriptionPlan,
      command: {
        kind: 'changeSubscriptionPlan',
        subscriptionId: 'sub_1',
        plan: {
          planId: 'pro',
          creditsPerPeriod: 100,
          rollover: { maxCredits: 50, expiresAfterPeriods: 2 },
        },
        periodStart: T0,
        periodEnd: new Date(Date.parse(T0) + 30 * 24 * HOUR).toISOString(),
        blockId: 'block_upgrade',
      },
    },
    cancelSubscription: {
      useCase: CancelSubscription,
      command: { kind: 'cancelSubscription', subscriptionId: 'sub_1', endedAt: T0 },
    },
    recordAutoTopUp: {
      useCase: RecordAutoTopUp,
      command: {
        kind: 'recordAutoTopUp',
        paymentIntentId: 'pi_2',
        packId: 'basic',
        outcome: 'failed',
        reason: 'card_declined',
        consecutiveFailures: 1,
        disabled: false,
      },
    },
  };

async function startModule(providers: Provider[]): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot()],
    providers: [...providers, ...ACCOUNT_COMMAND_HANDLERS],
  }).compile();
  // The bus learns its handlers when the application boots.
  await moduleRef.init();
  return moduleRef;
}

describe('account commands: one class per use case, each submitted to the mailbox', () => {
  describe('with a mailbox that records what it is given', () => {
    const submitted: Array<[string, LedgerCommand, CallerContext]> = [];
    const answer = { replayed: false } as WriteOutcome;
    let moduleRef: TestingModule;
    let bus: CommandBus;

    beforeAll(async () => {
      const recorder: Pick<AccountMailbox, 'submit'> = {
        submit: (accountId, command, context) => {
          submitted.push([accountId, command, context]);
          return Promise.resolve(answer);
        },
      };
      moduleRef = await startModule([{ provide: AccountMailbox, useValue: recorder }]);
      bus = moduleRef.get(CommandBus);
    });
    afterAll(() => moduleRef.close());
    beforeEach(() => (submitted.length = 0));

    it('registers one handler per ledger command kind', () => {
      expect(ACCOUNT_COMMAND_HANDLERS).toHaveLength(Object.keys(USE_CASES).length);
      expect(new Set(ACCOUNT_COMMAND_HANDLERS).size).toBe(ACCOUNT_COMMAND_HANDLERS.length);
    });

    it.each(Object.entries(USE_CASES))(
      '%s: its class reaches the mailbox with the account, the same ledger command and context',
      async (_kind, { useCase, command }) => {
        const outcome = await bus.execute(new useCase('org:acme', command as never, CALLER));
        expect(submitted).toHaveLength(1);
        const [accountId, sentCommand, sentContext] = submitted[0];
        expect(accountId).toBe('org:acme');
        // The very objects: nothing is copied on the way (the spend path's speed).
        expect(sentCommand).toBe(command);
        expect(sentContext).toBe(CALLER);
        expect(outcome).toBe(answer);
      },
    );

    it.each(Object.entries(USE_CASES))(
      '%s: toAccountCommand wraps a command of that kind in its use case',
      async (_kind, { useCase, command }) => {
        const wrapped = toAccountCommand('org:acme', command, CALLER);
        expect(wrapped).toBeInstanceOf(useCase);
        expect(wrapped).toMatchObject({ accountId: 'org:acme', command, context: CALLER });
        await bus.execute(wrapped);
        expect(submitted).toEqual([['org:acme', command, CALLER]]);
      },
    );
  });

  describe('through the real write path, on an in-memory event store', () => {
    const clock = new ManualClock(T0);
    const store = new InMemoryEventStore();
    let moduleRef: TestingModule;
    let bus: CommandBus;

    beforeAll(async () => {
      moduleRef = await startModule([
        { provide: AppConfig, useValue: loadConfig({ LOG_LEVEL: 'silent' }) },
        { provide: Clock, useValue: clock },
        {
          provide: MetricsRegistry,
          useValue: new MetricsRegistry({ collectProcessMetrics: false }),
        },
        { provide: EVENT_STORE, useValue: store },
        // Snapshots live in PostgreSQL: here there are none to load.
        { provide: DATABASE, useValue: { pool: { query: () => Promise.resolve({ rows: [] }) } } },
        ...WRITE_PATH_PROVIDERS,
      ]);
      bus = moduleRef.get(CommandBus);
    });
    afterAll(() => moduleRef.close());

    it('writes, for each use case, the events of its ledger command', async () => {
      const accountId = 'org:every-use-case';
      const send = async (useCase: CommandClass, command: LedgerCommand) =>
        (await bus.execute(new useCase(accountId, command as never, CALLER))).events.map(
          (event) => event.type,
        );
      const run = (kind: LedgerCommand['kind'], command = USE_CASES[kind].command) =>
        send(USE_CASES[kind].useCase, command);

      expect(await run('grant')).toEqual(['CreditsGranted']);
      expect(await run('purchase')).toEqual(['CreditsPurchased']);
      expect(await run('spend')).toEqual(['CreditsSpent']);
      expect(await run('refund')).toEqual(['CreditsRefunded']);
      expect(await run('reserve')).toEqual(['CreditsReserved']);
      expect(await run('capture')).toEqual(['CreditsSpent']);
      expect(
        await run('reserve', {
          kind: 'reserve',
          reservationId: 'res_2',
          credits: 5,
          ttlSeconds: 60,
        }),
      ).toEqual(['CreditsReserved']);
      expect(await run('release')).toEqual(['ReservationReleased']);
      expect(await run('reverse')).toEqual(['PurchaseReversed']);
      expect(await run('reinstate')).toEqual(['ReversalUndone']);
      clock.set(new Date(Date.parse(T0) + 2 * HOUR));
      expect(await run('expire')).toEqual(['CreditsExpired']);

      const stream = await store.readStream(streamIdFor(accountId));
      expect(stream.map((event) => event.type)).toEqual([
        'CreditsGranted',
        'CreditsPurchased',
        'CreditsSpent',
        'CreditsRefunded',
        'CreditsReserved',
        'CreditsSpent',
        'CreditsReserved',
        'ReservationReleased',
        'PurchaseReversed',
        'ReversalUndone',
        'CreditsExpired',
      ]);
    });
  });
});
