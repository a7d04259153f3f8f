import { CommandBus } from '@nestjs/cqrs';
import { toAccountCommand } from '../../src/accounts/commands';
import type { LedgerCommand } from '../../src/ledger/commands';
import { newId } from '../../src/shared/ids';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 11: a spend whose description held a NUL answered 500 and, because appends of different
 * accounts share one group-commit statement, failed valid spends of other accounts with it (38 of
 * 400 in one run). Here the bad commands go straight to the command bus, past the HTTP validation
 * that now refuses them, so that they reach PostgreSQL as a validation gap would let them; valid
 * spends of other accounts arrive over HTTP at the same time. None of those may fail.
 */

const GOOD_ACCOUNTS = 40;
const SPENDS_PER_ACCOUNT = 10;
const BAD_ACCOUNTS = 10;
const BAD_PER_ROUND = 4;
const GRANTED = 1_000;

/** Commands whose events PostgreSQL refuses (jsonb: \u0000, an unpaired surrogate). */
function poisoned(index: number): LedgerCommand {
  switch (index % 4) {
    case 0:
      return { kind: 'spend', spendId: newId('spend'), credits: 1, description: 'a\u0000b' };
    case 1:
      return {
        kind: 'spend',
        spendId: newId('spend'),
        credits: 1,
        description: 'x',
        reference: 'job\ud800',
      };
    case 2:
      return {
        kind: 'spend',
        spendId: newId('spend'),
        credits: 1,
        description: 'x',
        details: { 'k\u0000': 'v' },
      };
    default:
      return {
        kind: 'grant',
        blockId: newId('block'),
        credits: 1,
        category: 'promotional',
        reason: 'promotion',
        description: '\udc00',
      };
  }
}

describe('poisoned commands among a load of valid spends', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('fail alone: every valid spend of another account succeeds and is counted once', async () => {
    const good = Array.from({ length: GOOD_ACCOUNTS }, (_, index) => `load-good-${index}`);
    const bad = Array.from({ length: BAD_ACCOUNTS }, (_, index) => `load-bad-${index}`);
    for (const accountId of [...good, ...bad]) {
      const granted = await t.http.post(
        `/v1/accounts/${accountId}/grants`,
        { credits: GRANTED, category: 'paid', reason: 'adjustment' },
        { key: TEST_KEYS.granter },
      );
      expect(granted.status).toBe(201);
    }

    const commandBus = t.app.get(CommandBus);
    const context = {
      correlationId: 'poisoned-load',
      actor: { kind: 'apiKey' as const, id: 'test' },
    };
    const spendResponses = [];
    const badSettled = [];
    // In rounds, so that poisoned appends keep arriving while valid ones do: one spend per good
    // account and a few poisoned commands per round, all at once.
    for (let round = 0; round < SPENDS_PER_ACCOUNT; round++) {
      const badOutcomes = Array.from({ length: BAD_PER_ROUND }, (_, index) => {
        const number = round * BAD_PER_ROUND + index;
        return commandBus.execute(
          toAccountCommand(bad[number % bad.length], poisoned(number), context),
        );
      });
      const spends = good.map((accountId) =>
        t.http.post(`/v1/accounts/${accountId}/spends`, {
          credits: 3,
          description: `load spend ${round}`,
        }),
      );
      const [responses, settled] = await Promise.all([
        Promise.all(spends),
        Promise.allSettled(badOutcomes),
      ]);
      spendResponses.push(...responses);
      badSettled.push(...settled);
    }

    const collateral = spendResponses.filter((response) => response.status !== 201);
    expect(collateral.map((response) => [response.status, response.body?.code])).toEqual([]);
    expect(badSettled).toHaveLength(SPENDS_PER_ACCOUNT * BAD_PER_ROUND);
    expect(badSettled.every((outcome) => outcome.status === 'rejected')).toBe(true);

    for (const accountId of good) {
      const balance = await t.http.get(`/v1/accounts/${accountId}/balance`);
      expect(balance.body).toMatchObject({
        balance: GRANTED - 3 * SPENDS_PER_ACCOUNT,
        revision: SPENDS_PER_ACCOUNT,
      });
    }
    for (const accountId of bad) {
      // Only the grant: nothing of the poisoned commands was written, and the account still works.
      expect((await t.http.get(`/v1/accounts/${accountId}/balance`)).body).toMatchObject({
        balance: GRANTED,
        revision: 0,
      });
      expect(
        (
          await t.http.post(`/v1/accounts/${accountId}/spends`, {
            credits: 1,
            description: 'after',
          })
        ).status,
      ).toBe(201);
    }
  });

  it('fail alone on their own account too: commands queued behind them and written in the same append succeed', async () => {
    const accountId = 'load-shared-mailbox';
    expect(
      (
        await t.http.post(
          `/v1/accounts/${accountId}/grants`,
          { credits: GRANTED, category: 'paid', reason: 'adjustment' },
          { key: TEST_KEYS.granter },
        )
      ).status,
    ).toBe(201);
    const commandBus = t.app.get(CommandBus);
    const context = {
      correlationId: 'poisoned-same-account',
      actor: { kind: 'apiKey' as const, id: 'test' },
    };
    const valid = (index: number): LedgerCommand => ({
      kind: 'spend',
      spendId: newId('spend'),
      credits: 2,
      description: `valid ${index}`,
    });
    // Sent in one tick: the account's mailbox decides them together and writes one append.
    const isPoisoned = (index: number): boolean => index % 5 === 2;
    const commands = Array.from({ length: 20 }, (_, index) =>
      isPoisoned(index) ? poisoned(index) : valid(index),
    );
    const settled = await Promise.allSettled(
      commands.map((command) => commandBus.execute(toAccountCommand(accountId, command, context))),
    );

    const outcomes = settled.map((outcome, index) => [!isPoisoned(index), outcome.status]);
    expect(outcomes.filter(([isValid, status]) => isValid && status !== 'fulfilled')).toEqual([]);
    expect(outcomes.filter(([isValid, status]) => !isValid && status !== 'rejected')).toEqual([]);
    const validCount = commands.length - commands.length / 5;
    expect((await t.http.get(`/v1/accounts/${accountId}/balance`)).body).toMatchObject({
      balance: GRANTED - 2 * validCount,
      revision: validCount,
    });
  });
});
