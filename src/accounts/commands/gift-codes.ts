import { CommandHandler } from '@nestjs/cqrs';
import type { FundGiftCodesCommand, RedeemGiftCodeCommand } from '../../ledger/commands';
import { AccountCommand } from './account-command';
import { AccountCommandHandler } from './account-command.handler';

/** Move the credits of gift codes being minted from the funding account into escrow. */
export class FundGiftCodes extends AccountCommand<FundGiftCodesCommand> {}

@CommandHandler(FundGiftCodes)
export class FundGiftCodesHandler extends AccountCommandHandler<FundGiftCodes> {}

/** Redeem a gift code into an account (once, ledger-wide: the append claims the code). */
export class RedeemGiftCode extends AccountCommand<RedeemGiftCodeCommand> {}

@CommandHandler(RedeemGiftCode)
export class RedeemGiftCodeHandler extends AccountCommandHandler<RedeemGiftCode> {}
