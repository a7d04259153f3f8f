import type {
  ReceiveTransferCommand,
  ReturnTransferCommand,
  SendTransferCommand,
} from '../../src/ledger';
import { MAX_BALANCE_CREDITS, evolve, initialState } from '../../src/ledger';
import { given } from './given-when-then';
import { DAY, HOUR, T0, after, expired, granted, purchased, spent } from './fixtures';
import { closed, declined, received, returned, sent } from './program-fixtures';

const send = (overrides: Partial<SendTransferCommand> = {}): SendTransferCommand => ({
  kind: 'transfer',
  transferId: 't1',
  to: 'user:bob',
  credits: 30,
  reason: 'gift',
  ...overrides,
});

const receive = (overrides: Partial<ReceiveTransferCommand> = {}): ReceiveTransferCommand => ({
  kind: 'receive',
  transferId: 't1',
  from: 'user:ann',
  purpose: 'transfer',
  blocks: [
    {
      blockId: 'n1',
      fromBlockId: 'g1',
      credits: 10,
      category: 'promotional',
      expiresAt: after(DAY),
    },
    { blockId: 'n2', fromBlockId: 'b1', credits: 20, category: 'paid' },
  ],
  ...overrides,
});

const giveBack = (overrides: Partial<ReturnTransferCommand> = {}): ReturnTransferCommand => ({
  kind: 'return',
  transferId: 't1',
  reason: 'account_closed',
  ...overrides,
});

const promo = granted('g1', 10, { expiresAt: after(DAY) });
const paid = purchased('b1', 100);

describe('transfer: sending (source)', () => {
  it('draws in drawdown order and names each block with its category and expiry', () => {
    given(paid, promo)
      .when(send(), { now: after(HOUR) })
      .then(
        sent('t1', 'user:bob', [
          { blockId: 'g1', credits: 10, category: 'promotional', expiresAt: after(DAY) },
          { blockId: 'b1', credits: 20, category: 'paid' },
        ]),
      );
  });

  it('is all or nothing: never overdraws the source', () => {
    given(promo)
      .when(send({ credits: 11 }), { now: after(HOUR) })
      .thenRejects({ code: 'insufficient_credits', available: 10, required: 11 });
  });

  it('does not draw expired credits; the lazy expiry comes first', () => {
    given(paid, promo)
      .when(send({ credits: 100 }), { now: after(2 * DAY) })
      .then(
        expired('g1', 10),
        sent('t1', 'user:bob', [{ blockId: 'b1', credits: 100, category: 'paid' }]),
      );
  });

  it('answers a repeated Idempotency-Key from memory: exactly once', () => {
    const first = sent('t1', 'user:bob', [{ blockId: 'b1', credits: 30, category: 'paid' }]);
    first.metadata.idempotencyKey = 'k1';
    first.metadata.requestHash = 'h1';
    given(paid, first)
      .when(send({ transferId: 't2' }), {
        now: after(HOUR),
        idempotencyKey: 'k1',
        requestHash: 'h1',
      })
      .thenReplays({ firstRevision: 1, lastRevision: 1, balance: 70 });
  });
});

describe('transfer: receiving (destination)', () => {
  it('opens one block per block drawn, category and expiry kept, source "transfer"', () => {
    const state = given()
      .when(receive(), { now: after(HOUR) })
      .then(
        received('t1', 'user:ann', [
          {
            blockId: 'n1',
            fromBlockId: 'g1',
            credits: 10,
            category: 'promotional',
            expiresAt: after(DAY),
          },
          { blockId: 'n2', fromBlockId: 'b1', credits: 20, category: 'paid' },
        ]),
      );
    const folded = initialState();
    for (const event of state) evolve(folded, event);
    expect(folded.blocks.n1).toMatchObject({
      category: 'promotional',
      source: 'transfer',
      expiresAt: after(DAY),
      remaining: 10,
    });
    expect(folded.blocks.n2).toMatchObject({
      category: 'paid',
      source: 'transfer',
      expiresAt: null,
    });
  });

  it('takes a transfer in once: a redelivery writes nothing and answers with the first', () => {
    given(
      granted('g0', 1),
      received('t1', 'user:ann', [
        { blockId: 'n1', fromBlockId: 'b1', credits: 5, category: 'paid' },
      ]),
    )
      .when(receive(), { now: after(HOUR) })
      .thenNoop({
        reason: 'repeated',
        answer: expect.objectContaining({ firstRevision: 1, lastRevision: 1 }),
      });
  });

  it('declines it for good on a closed account (the process then returns the credits)', () => {
    given(closed('m1', 'user:carl', 0))
      .when(receive(), { now: after(HOUR) })
      .then(declined('t1', 'user:ann', 30, 'account_closed'));
  });

  it('declines what would pass the balance limit', () => {
    given(granted('big', MAX_BALANCE_CREDITS - 5))
      .when(receive(), { now: after(HOUR) })
      .then(declined('t1', 'user:ann', 30, 'balance_limit'));
  });

  it('a declined transfer is never taken in later', () => {
    given(declined('t1', 'user:ann', 30, 'balance_limit'))
      .when(receive(), { now: after(HOUR) })
      .thenNoop({ reason: 'repeated', answer: expect.objectContaining({ firstRevision: 0 }) });
  });

  it('a block that expired on the way arrives expired, in the same append', () => {
    given()
      .when(receive(), { now: after(2 * DAY) })
      .then(
        received('t1', 'user:ann', [
          {
            blockId: 'n1',
            fromBlockId: 'g1',
            credits: 10,
            category: 'promotional',
            expiresAt: after(DAY),
          },
          { blockId: 'n2', fromBlockId: 'b1', credits: 20, category: 'paid' },
        ]),
        expired('n1', 10),
      );
  });
});

describe('transfer: returning (source, after a decline)', () => {
  const out = sent('t1', 'user:bob', [
    { blockId: 'g1', credits: 10, category: 'promotional', expiresAt: after(DAY) },
    { blockId: 'b1', credits: 20, category: 'paid' },
  ]);

  it('puts the credits back where they came from, last drawn first', () => {
    given(paid, promo, out)
      .when(giveBack(), { now: after(HOUR) })
      .then(returned('t1', 'user:bob', { b1: 20, g1: 10 }));
  });

  it('returns once', () => {
    given(paid, promo, out, returned('t1', 'user:bob', { b1: 20, g1: 10 }))
      .when(giveBack(), { now: after(HOUR) })
      .then();
  });

  it('loses what comes back to a block that expired meanwhile', () => {
    given(paid, promo, out)
      .when(giveBack(), { now: after(2 * DAY) })
      .then(returned('t1', 'user:bob', { b1: 20, g1: 10 }), expired('g1', 10));
  });

  it('works on a closed account (the credits were its own)', () => {
    given(paid, promo, out, closed('m1', 'user:carl', 0))
      .when(giveBack(), { now: after(HOUR) })
      .then(returned('t1', 'user:bob', { b1: 20, g1: 10 }));
  });

  it('of a transfer it never sent is not found', () => {
    given(paid)
      .when(giveBack({ transferId: 'nope' }), { now: T0 })
      .thenRejects({
        code: 'not_found',
        entity: 'transfer',
        id: 'nope',
      });
  });
});

describe('a closed account', () => {
  const history = [paid, spent('s1', { b1: 10 }), closed('m1', 'user:carl', 0)];

  it.each([
    ['spend', { kind: 'spend', spendId: 's2', credits: 1, description: 'x' }],
    ['grant', { kind: 'grant', blockId: 'g9', credits: 1, category: 'paid', reason: 'promotion' }],
    ['transfer', { kind: 'transfer', transferId: 't9', to: 'x', credits: 1, reason: 'x' }],
    ['refund', { kind: 'refund', refundId: 'r1', spendId: 's1', reason: 'x' }],
    ['reserve', { kind: 'reserve', reservationId: 'h1', credits: 1, ttlSeconds: 60 }],
    ['welcome', { kind: 'welcome', blockId: 'w1', credits: 1, reason: 'signup' }],
  ] as const)('refuses a client %s: account_closed', (_kind, command) => {
    given(...history)
      .when(command, { now: after(HOUR) })
      .thenRejects({ code: 'account_closed', mergedInto: 'user:carl' });
  });

  it('still expires what is due', () => {
    given(granted('g2', 3, { expiresAt: after(HOUR) }), closed('m1', 'user:carl', 0))
      .when({ kind: 'expire' }, { now: after(DAY) })
      .then(expired('g2', 3));
  });
});
