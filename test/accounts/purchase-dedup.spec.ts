import { randomUUID } from 'node:crypto';
import type { CallerContext } from '../../src/accounts/write-path/caller-context';
import { LedgerRejectedError } from '../../src/accounts/write-path/errors';
import type { WriteOutcome } from '../../src/accounts/write-path/write-outcome';
import { loadConfig } from '../../src/config/load-config';
import {
  WrongExpectedRevisionError,
  type EventStore,
} from '../../src/event-store/event-store.port';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { InMemoryEventStore } from '../../src/event-store/in-memory/in-memory-event-store';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import type { LedgerCommand, PurchaseCreditsCommand } from '../../src/ledger/commands';
import { streamIdFor } from '../../src/ledger/limits';
import { ManualClock } from '../../src/shared/clock';
import { FakeEventStoreDbServer } from '../event-store/eventstoredb/fake-server-client';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startWritePath } from './support/write-path';

/**
 * One payment, one purchase (docs/architecture.md): through the account mailbox, with several
 * "processes" (write paths with their own caches) on one event store, for every adapter:
 * PostgreSQL, in-memory, and the EventStoreDB adapter on its in-process fake server.
 */
const CALLER: CallerContext = { correlationId: 'test', actor: { kind: 'apiKey', id: 'granter' } };

function purchase(
  providerRef: string,
  overrides: Partial<PurchaseCreditsCommand> = {},
): PurchaseCreditsCommand {
  return {
    kind: 'purchase',
    blockId: `block_${randomUUID()}`,
    purchaseId: `purchase_${randomUUID()}`,
    credits: 100,
    amountPaid: { minor: 1000, currency: 'USD' },
    provider: 'manual',
    providerRef,
    ...overrides,
  };
}

function grant(credits: number): LedgerCommand {
  return {
    kind: 'grant',
    blockId: `block_${randomUUID()}`,
    credits,
    category: 'promotional',
    reason: 'promotion',
  };
}

function spend(credits: number): LedgerCommand {
  return { kind: 'spend', spendId: `spend_${randomUUID()}`, credits, description: 'test' };
}

function startProcess(store: EventStore, env: Record<string, string> = {}) {
  const config = loadConfig({ COMMAND_MAX_ATTEMPTS: '4', ...env });
  const { mailbox } = startWritePath(store, config, new ManualClock('2026-03-01T12:00:00.000Z'));
  return (accountId: string, command: LedgerCommand, caller: CallerContext = CALLER) =>
    mailbox.submit(accountId, command, caller);
}

interface Subject {
  store: EventStore;
  teardown(): Promise<void>;
}

const subjects: Array<[string, () => Promise<Subject>]> = [
  [
    'postgres',
    async () => {
      const db: TestDatabase = await createTestDatabase({ poolMax: 20 });
      return { store: new PostgresEventStore(db.pool), teardown: () => db.drop() };
    },
  ],
  ['in-memory', async () => ({ store: new InMemoryEventStore(), teardown: async () => undefined })],
  [
    'eventstoredb adapter (fake server)',
    async () => ({
      store: new EventStoreDbEventStore(new FakeEventStoreDbServer().client()),
      teardown: async () => undefined,
    }),
  ],
];

describe.each(subjects)(
  'purchases, one per provider reference in the whole ledger: %s',
  (_name, setup) => {
    let subject: Subject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    });
    afterAll(() => subject?.teardown());

    it('credits exactly one of many concurrent purchases of one reference on different accounts, from two processes', async () => {
      const [first, second] = [startProcess(store), startProcess(store)];
      const ref = `wire_${randomUUID()}`;
      const accounts = Array.from({ length: 16 }, (_, index) => `race-${ref}-${index}`);
      // Some accounts exist already (an append at a revision), the others are created by the purchase.
      for (const accountId of accounts.filter((_, index) => index % 3 === 0))
        await first(accountId, grant(5));
      const settled = await Promise.allSettled(
        accounts.map((accountId, index) =>
          (index % 2 === 0 ? first : second)(accountId, purchase(ref)),
        ),
      );

      const winners = accounts.filter((_, index) => settled[index].status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const [index, outcome] of settled.entries()) {
        if (outcome.status === 'fulfilled') continue;
        expect(outcome.reason).toBeInstanceOf(LedgerRejectedError);
        expect((outcome.reason as LedgerRejectedError).rejection).toEqual({
          code: 'purchase_conflict',
          provider: 'manual',
          providerRef: ref,
          heldByAccountId: winners[0],
        });
        // Nothing of the refused purchase was written.
        const types = (await store.readStream(streamIdFor(accounts[index]))).map(
          (event) => event.type,
        );
        expect(types).toEqual(index % 3 === 0 ? ['CreditsGranted'] : []);
      }
      const purchases = [];
      for (const accountId of accounts) {
        for (const event of await store.readStream(streamIdFor(accountId)))
          if (event.data.providerRef === ref) purchases.push(accountId);
      }
      expect(purchases).toEqual(winners);
    });

    it('refuses only the purchase of a batch whose reference another account holds, without using an attempt', async () => {
      const run = startProcess(store, { COMMAND_MAX_ATTEMPTS: '1' });
      const ref = `wire_${randomUUID()}`;
      const [holder, other] = [`holder-${ref}`, `other-${ref}`];
      await run(holder, purchase(ref));
      // Queued together: one batch, one append; the refused claim makes it decide again.
      const settled = await Promise.allSettled([
        run(other, grant(10)),
        run(other, spend(4)),
        run(other, purchase(ref)),
      ]);
      expect(settled.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
      ]);
      expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({
        rejection: { code: 'purchase_conflict', heldByAccountId: holder },
      });
      expect((await store.readStream(streamIdFor(other))).map((event) => event.type)).toEqual([
        'CreditsGranted',
        'CreditsSpent',
      ]);
    });

    it('answers a repeat on the same account with the original purchase: ids, credits, amount, revision, position, balances', async () => {
      const [first, second] = [startProcess(store), startProcess(store)];
      const ref = `wire_${randomUUID()}`;
      const accountId = `repeat-${ref}`;
      await first(accountId, grant(7));
      const original = await first(
        accountId,
        purchase(ref, { credits: 250, amountPaid: { minor: 2500, currency: 'EUR' } }),
      );
      await first(accountId, spend(50));

      const expectOriginal = (repeat: WriteOutcome) => {
        expect(repeat).toMatchObject({
          accountId,
          revision: original.revision,
          position: original.position,
          balance: 257,
          available: 257,
          reserved: 0,
          replayed: true,
        });
        expect(repeat.events).toEqual(original.events);
        const [event] = repeat.events;
        expect(event).toMatchObject({
          type: 'CreditsPurchased',
          data: { credits: 250, amountPaid: { minor: 2500, currency: 'EUR' }, providerRef: ref },
        });
        expect(repeat.duplicatePurchase).toEqual({
          purchaseId: (event.data as { purchaseId: string }).purchaseId,
          blockId: (event.data as { blockId: string }).blockId,
        });
      };
      // From the process that wrote it (cached state) and from another one (a cold load).
      expectOriginal(
        await first(
          accountId,
          purchase(ref, {
            credits: 250,
            amountPaid: { minor: 2500, currency: 'EUR' },
            packId: 'ignored',
          }),
        ),
      );
      expectOriginal(
        await second(
          accountId,
          purchase(ref, { credits: 250, amountPaid: { minor: 2500, currency: 'EUR' } }),
        ),
      );
      const [stored] = await store.readStream(streamIdFor(accountId), {
        fromRevision: original.revision,
        maxCount: 1,
      });
      expect(stored.position).toBe(original.position);
      expect(
        (await store.readStream(streamIdFor(accountId))).filter(
          (event) => event.type === 'CreditsPurchased',
        ),
      ).toHaveLength(1);

      await expect(
        first(
          accountId,
          purchase(ref, { credits: 251, amountPaid: { minor: 2500, currency: 'EUR' } }),
        ),
      ).rejects.toMatchObject({
        rejection: {
          code: 'purchase_conflict',
          purchaseId: (original.events[0].data as { purchaseId: string }).purchaseId,
        },
      });
    });

    it('answers its own purchase as written when a retry finds it already appended', async () => {
      const ref = `wire_${randomUUID()}`;
      const accountId = `own-${ref}`;
      // The append is written, but the answer is lost (as after a timeout): the handler retries.
      const lossy = new Proxy(store, {
        get: (target, property) => {
          if (property === 'appendExclusive') return undefined; // the optimistic retry path, as on EventStoreDB
          if (property !== 'appendToStream') return Reflect.get(target, property, target);
          let lost = false;
          return async (...args: Parameters<EventStore['appendToStream']>) => {
            const result = await target.appendToStream(...args);
            if (!lost) {
              lost = true;
              throw new WrongExpectedRevisionError(
                args[0],
                args[2].expectedRevision,
                result.lastRevision,
              );
            }
            return result;
          };
        },
      });
      const run = startProcess(lossy);
      const command = purchase(ref);
      const outcome = await run(accountId, command);
      expect(outcome).toMatchObject({ replayed: false, revision: 0 });
      expect(outcome.duplicatePurchase).toBeUndefined();
      expect(outcome.events[0].data).toMatchObject({ purchaseId: command.purchaseId });
    });
  },
);
