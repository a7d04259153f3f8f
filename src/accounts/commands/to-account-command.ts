import type { LedgerCommand } from '../../ledger/commands';
import type { CallerContext } from '../write-path/caller-context';
import type { AccountCommand } from './account-command';
import { AdjustCredits } from './adjust-credits';
import { CaptureReservation } from './capture-reservation';
import { ExpireDue } from './expire-due';
import { GrantCredits } from './grant-credits';
import { PurchaseCredits } from './purchase-credits';
import { RefundSpend } from './refund-spend';
import { ReinstateReversal } from './reinstate-reversal';
import { ReleaseReservation } from './release-reservation';
import { ReserveCredits } from './reserve-credits';
import { ReversePurchase } from './reverse-purchase';
import { SpendCredits } from './spend-credits';
import { RemoveMember, SetMember } from './pool-members';
import { FundGiftCodes, RedeemGiftCode } from './gift-codes';
import { MergeAccount, ReceiveTransfer, ReturnTransfer, SendTransfer } from './transfers';
import { WelcomeCredits } from './welcome-credits';
import { PaySubscriptionPeriod } from './pay-subscription-period';
import { ChangeSubscriptionPlan } from './change-subscription-plan';
import { CancelSubscription } from './cancel-subscription';
import { RecordAutoTopUp } from './record-auto-top-up';

/**
 * The use case of a ledger command of any kind, for senders that hold commands of several kinds as
 * data (Stripe's reversal steps, test workloads): each still travels as its own command class.
 * Senders that know their use case construct its class directly.
 */
export function toAccountCommand(
  accountId: string,
  command: LedgerCommand,
  context: CallerContext,
): AccountCommand {
  switch (command.kind) {
    case 'purchase':
      return new PurchaseCredits(accountId, command, context);
    case 'grant':
      return new GrantCredits(accountId, command, context);
    case 'spend':
      return new SpendCredits(accountId, command, context);
    case 'adjust':
      return new AdjustCredits(accountId, command, context);
    case 'refund':
      return new RefundSpend(accountId, command, context);
    case 'reserve':
      return new ReserveCredits(accountId, command, context);
    case 'capture':
      return new CaptureReservation(accountId, command, context);
    case 'release':
      return new ReleaseReservation(accountId, command, context);
    case 'expire':
      return new ExpireDue(accountId, command, context);
    case 'reverse':
      return new ReversePurchase(accountId, command, context);
    case 'reinstate':
      return new ReinstateReversal(accountId, command, context);
    case 'set-member':
      return new SetMember(accountId, command, context);
    case 'remove-member':
      return new RemoveMember(accountId, command, context);
    case 'fund-gift-codes':
      return new FundGiftCodes(accountId, command, context);
    case 'redeem-gift-code':
      return new RedeemGiftCode(accountId, command, context);
    case 'welcome':
      return new WelcomeCredits(accountId, command, context);
    case 'transfer':
      return new SendTransfer(accountId, command, context);
    case 'receive':
      return new ReceiveTransfer(accountId, command, context);
    case 'return':
      return new ReturnTransfer(accountId, command, context);
    case 'merge':
      return new MergeAccount(accountId, command, context);
    case 'paySubscriptionPeriod':
      return new PaySubscriptionPeriod(accountId, command, context);
    case 'changeSubscriptionPlan':
      return new ChangeSubscriptionPlan(accountId, command, context);
    case 'cancelSubscription':
      return new CancelSubscription(accountId, command, context);
    case 'recordAutoTopUp':
      return new RecordAutoTopUp(accountId, command, context);
    default: {
      const unknown: never = command;
      throw new Error(`unknown ledger command ${(unknown as { kind: string }).kind}`);
    }
  }
}
