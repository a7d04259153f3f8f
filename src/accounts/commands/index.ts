import type { Provider } from '@nestjs/common';
import { AdjustCreditsHandler } from './adjust-credits';
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
import { PaySubscriptionPeriodHandler } from './pay-subscription-period';
import { ChangeSubscriptionPlanHandler } from './change-subscription-plan';
import { CancelSubscriptionHandler } from './cancel-subscription';
import { RecordAutoTopUpHandler } from './record-auto-top-up';

export { AccountCommand } from './account-command';
export { AdjustCredits } from './adjust-credits';
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
export { PaySubscriptionPeriod } from './pay-subscription-period';
export { ChangeSubscriptionPlan } from './change-subscription-plan';
export { CancelSubscription } from './cancel-subscription';
export { RecordAutoTopUp } from './record-auto-top-up';
export { toAccountCommand } from './to-account-command';

/** The command handlers of the accounts feature: one per use case, each submitting to the mailbox. */
export const ACCOUNT_COMMAND_HANDLERS: Provider[] = [
  SpendCreditsHandler,
  RefundSpendHandler,
  AdjustCreditsHandler,
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
  PaySubscriptionPeriodHandler,
  ChangeSubscriptionPlanHandler,
  CancelSubscriptionHandler,
  RecordAutoTopUpHandler,
];
