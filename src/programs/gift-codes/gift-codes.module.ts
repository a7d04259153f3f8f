import { Module } from '@nestjs/common';
import { ProblemCatalog } from '../../http/errors/problem-catalog';
import { MintGiftCodesHandler } from './commands/mint-gift-codes';
import { RedeemCodeHandler } from './commands/redeem-code';
import { GIFT_CODE_PROBLEMS } from './gift-code-problems';
import { GiftCodeStore } from './gift-code-store';
import { GiftCodesController } from './http/gift-codes.controller';

/**
 * Gift codes (PRODUCT.md §2, docs/programs.md "Gift codes"): codes are rows of `gift_codes` (hashes
 * only); the escrow and the redemption are ledger commands on the funder's and the receiver's
 * streams, sent on the command bus to the accounts' mailboxes.
 */
@Module({
  controllers: [GiftCodesController],
  providers: [GiftCodeStore, MintGiftCodesHandler, RedeemCodeHandler],
})
export class GiftCodesModule {
  constructor(problems: ProblemCatalog) {
    problems.register(GIFT_CODE_PROBLEMS);
  }
}
