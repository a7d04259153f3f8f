import type { Provider } from '@nestjs/common';
import { CaptureReservationHandler } from './capture-reservation';
import { ExpireDueHandler } from './expire-due';
import { GrantCreditsHandler } from './grant-credits';
import { PurchaseCreditsHandler } from './purchase-credits';
import { RefundSpendHandler } from './refund-spend';
import { ReinstateReversalHandler } from './reinstate-reversal';
import { ReleaseReservationHandler } from './release-reservation';
import { ReserveCreditsHandler } from './reserve-credits';
import { ReversePurchaseHandler } from './reverse-purchase';
import { SpendCreditsHandler } from './spend-credits';
import { RemoveMemberHandler, SetMemberHandler } from './pool-members';
import { FundGiftCodesHandler, RedeemGiftCodeHandler } from './gift-codes';
import { WelcomeCreditsHandler } from './welcome-credits';
import {
  MergeAccountHandler,
  ReceiveTransferHandler,
  ReturnTransferHandler,
  SendTransferHandler,
} from './transfers';

export { AccountCommand } from './account-command';
export { CaptureReservation } from './capture-reservation';
export { ExpireDue } from './expire-due';
export { GrantCredits } from './grant-credits';
export { PurchaseCredits } from './purchase-credits';
export { RefundSpend } from './refund-spend';
export { ReinstateReversal } from './reinstate-reversal';
export { ReleaseReservation } from './release-reservation';
export { ReserveCredits } from './reserve-credits';
export { ReversePurchase } from './reverse-purchase';
export { SpendCredits } from './spend-credits';
export { RemoveMember, SetMember } from './pool-members';
export { FundGiftCodes, RedeemGiftCode } from './gift-codes';
export { WelcomeCredits } from './welcome-credits';
export { MergeAccount, ReceiveTransfer, ReturnTransfer, SendTransfer } from './transfers';
export { toAccountCommand } from './to-account-command';

/** The command handlers of the accounts feature: one per use case, each submitting to the mailbox. */
export const ACCOUNT_COMMAND_HANDLERS: Provider[] = [
  SpendCreditsHandler,
  RefundSpendHandler,
  GrantCreditsHandler,
  PurchaseCreditsHandler,
  ReserveCreditsHandler,
  CaptureReservationHandler,
  ReleaseReservationHandler,
  ExpireDueHandler,
  ReversePurchaseHandler,
  ReinstateReversalHandler,
  SetMemberHandler,
  RemoveMemberHandler,
  FundGiftCodesHandler,
  RedeemGiftCodeHandler,
  WelcomeCreditsHandler,
  SendTransferHandler,
  ReceiveTransferHandler,
  ReturnTransferHandler,
  MergeAccountHandler,
];
