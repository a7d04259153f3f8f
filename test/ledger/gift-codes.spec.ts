import type {
  EscrowedAmount,
  GiftCodeRedeemed,
  GiftCodesFunded,
  RedeemGiftCodeCommand,
} from '../../src/ledger';
import { CURRENT_SCHEMA_VERSION } from '../../src/ledger';
import { giftCodeClaim, giftParts } from '../../src/ledger/programs/gift-parts';
import { given } from './given-when-then';
import { DAY, HOUR, T0, TEST_ACTOR, after, granted, purchased } from './fixtures';

const meta = (at = T0) => ({
  occurredAt: at,
  correlationId: 'c',
  actor: TEST_ACTOR,
  schemaVersion: CURRENT_SCHEMA_VERSION,
});

function funded(
  mintId: string,
  creditsPerCode: number,
  count: number,
  drawdown: EscrowedAmount[],
): GiftCodesFunded {
  return {
    type: 'GiftCodesFunded',
    data: { mintId, credits: creditsPerCode * count, count, creditsPerCode, drawdown },
    metadata: meta(),
  };
}

function redeemed(
  codeHash: string,
  blocks: GiftCodeRedeemed['data']['blocks'],
  at = T0,
): GiftCodeRedeemed {
  return {
    type: 'GiftCodeRedeemed',
    data: { codeHash, credits: blocks.reduce((sum, block) => sum + block.credits, 0), blocks },
    metadata: meta(at),
  };
}

const HASH = 'f'.repeat(64);
const redeem = (overrides: Partial<RedeemGiftCodeCommand> = {}): RedeemGiftCodeCommand => ({
  kind: 'redeem-gift-code',
  codeHash: HASH,
  parts: [{ credits: 25, category: 'promotional', expiresAt: null }],
  blockIds: ['g1'],
  ...overrides,
});

describe('gift codes', () => {
  describe('funding: credits leave the funder into escrow', () => {
    it('draws like a spend and records each block category and expiry', () => {
      const soon = after(10 * DAY);
      given(granted('promo', 30, { expiresAt: soon }), purchased('paid', 100))
        .when(
          { kind: 'fund-gift-codes', mintId: 'm1', creditsPerCode: 20, count: 2 },
          { now: after(HOUR) },
        )
        .then(
          funded('m1', 20, 2, [
            { blockId: 'promo', credits: 30, category: 'promotional', expiresAt: soon },
            { blockId: 'paid', credits: 10, category: 'paid', expiresAt: null },
          ]),
        );
    });

    it('all or nothing: insufficient_credits', () => {
      given(purchased('paid', 30))
        .when(
          { kind: 'fund-gift-codes', mintId: 'm1', creditsPerCode: 20, count: 2 },
          { now: after(HOUR) },
        )
        .thenRejects({ code: 'insufficient_credits', available: 30, required: 40 });
    });

    it('each code gets its slice of the escrow, in drawdown order', () => {
      const soon = after(10 * DAY);
      expect(
        giftParts(
          [
            { blockId: 'promo', credits: 30, category: 'promotional', expiresAt: soon },
            { blockId: 'paid', credits: 10, category: 'paid', expiresAt: null },
          ],
          20,
          2,
        ),
      ).toEqual([
        [{ credits: 20, category: 'promotional', expiresAt: soon }],
        [
          { credits: 10, category: 'promotional', expiresAt: soon },
          { credits: 10, category: 'paid', expiresAt: null },
        ],
      ]);
    });
  });

  describe('redemption', () => {
    it('opens one block per part (source gift)', () => {
      const state = given()
        .when(redeem(), { now: T0 })
        .then(redeemed(HASH, [{ blockId: 'g1', credits: 25, category: 'promotional' }]));
      expect(state).toHaveLength(1);
      const folded = given(...state).state();
      expect(folded.blocks.g1).toMatchObject({ source: 'gift', category: 'promotional' });
      expect(folded.extras.giftCodesRedeemed).toEqual({ [HASH]: true });
    });

    it('keeps the funded parts: category and expiry', () => {
      const soon = after(10 * DAY);
      given()
        .when(
          redeem({
            parts: [
              { credits: 10, category: 'promotional', expiresAt: soon },
              { credits: 10, category: 'paid', expiresAt: null },
            ],
            blockIds: ['g1', 'g2'],
            fundedBy: 'org:acme',
          }),
          { now: T0 },
        )
        .then({
          ...redeemed(HASH, [
            { blockId: 'g1', credits: 10, category: 'promotional', expiresAt: soon },
            { blockId: 'g2', credits: 10, category: 'paid' },
          ]),
          data: {
            codeHash: HASH,
            credits: 20,
            blocks: [
              { blockId: 'g1', credits: 10, category: 'promotional', expiresAt: soon },
              { blockId: 'g2', credits: 10, category: 'paid' },
            ],
            fundedBy: 'org:acme',
          },
        });
    });

    it('twice into the same account: gift_code_redeemed', () => {
      given(redeemed(HASH, [{ blockId: 'g1', credits: 25, category: 'promotional' }]))
        .when(redeem({ blockIds: ['g2'] }), { now: after(HOUR) })
        .thenRejects({ code: 'gift_code_redeemed', codeHash: HASH });
    });

    it('held by another account (the store refused the claim): gift_code_redeemed', () => {
      given()
        .when(redeem(), {
          now: T0,
          purchaseRefsHeldElsewhere: new Map([[giftCodeClaim(HASH), 'user:other']]),
        })
        .thenRejects({ code: 'gift_code_redeemed' });
    });
  });
});
