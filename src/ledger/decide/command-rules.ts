import type { LedgerCommand } from '../commands';
import type { Situation } from './situation';
import { accept, type RulesOutcome } from './rules-outcome';
import { decidePurchaseCredits } from './purchase-credits';
import { decideGrantCredits } from './grant-credits';
import { decideSpendCredits } from './spend-credits';
import { decideRefundSpend } from './refund-spend';
import { decideAdjustCredits } from './adjust-credits';
import { decideReserveCredits } from './reserve-credits';
import { decideCaptureReservation } from './capture-reservation';
import { decideReleaseReservation } from './release-reservation';
import { decideReversePurchase } from './reverse-purchase';
import { decideReinstateReversal } from './reinstate-reversal';
import { decideRemoveMember, decideSetMember } from './pool-members';
import { decideFundGiftCodes } from './fund-gift-codes';
import { decideRedeemGiftCode } from './redeem-gift-code';
import { decideWelcomeCredits } from './welcome-credits';
import { decideSendTransfer } from './send-transfer';
import { decideReceiveTransfer } from './receive-transfer';
import { decideReturnTransfer } from './return-transfer';
import { decideMergeAccount } from './merge-account';
import { decidePaySubscriptionPeriod } from './pay-subscription-period';
import { decideChangeSubscriptionPlan } from './change-subscription-plan';
import { decideCancelSubscription } from './cancel-subscription';
import { decideRecordAutoTopUp } from './record-auto-top-up';

/**
 * The rules of one command, on the account as it is once everything due has expired. Each kind's
 * rules are `decide<Command>` (decideSpendCredits for a SpendCreditsCommand), in the file named
 * after the command (spend-credits.ts); `decide` (decide.ts) is the one public entry around them.
 */
export function commandRules(command: LedgerCommand, situation: Situation): RulesOutcome {
  switch (command.kind) {
    case 'purchase':
      return decidePurchaseCredits(command, situation);
    case 'grant':
      return decideGrantCredits(command, situation);
    case 'spend':
      return decideSpendCredits(command, situation);
    case 'adjust':
      return decideAdjustCredits(command, situation);
    case 'refund':
      return decideRefundSpend(command, situation);
    case 'reserve':
      return decideReserveCredits(command, situation);
    case 'capture':
      return decideCaptureReservation(command, situation);
    case 'release':
      return decideReleaseReservation(command, situation);
    // Expire has no rules of its own: the lazy expiry in front of every command is all it does.
    case 'expire':
      return accept();
    case 'reverse':
      return decideReversePurchase(command, situation);
    case 'reinstate':
      return decideReinstateReversal(command, situation);
    case 'set-member':
      return decideSetMember(command, situation);
    case 'remove-member':
      return decideRemoveMember(command, situation);
    case 'fund-gift-codes':
      return decideFundGiftCodes(command, situation);
    case 'redeem-gift-code':
      return decideRedeemGiftCode(command, situation);
    case 'welcome':
      return decideWelcomeCredits(command, situation);
    case 'transfer':
      return decideSendTransfer(command, situation);
    case 'receive':
      return decideReceiveTransfer(command, situation);
    case 'return':
      return decideReturnTransfer(command, situation);
    case 'merge':
      return decideMergeAccount(command, situation);
    case 'paySubscriptionPeriod':
      return decidePaySubscriptionPeriod(command, situation);
    case 'changeSubscriptionPlan':
      return decideChangeSubscriptionPlan(command, situation);
    case 'cancelSubscription':
      return decideCancelSubscription(command, situation);
    case 'recordAutoTopUp':
      return decideRecordAutoTopUp(command);
    default: {
      const unknown: never = command;
      throw new Error(`unknown ledger command ${(unknown as { kind: string }).kind}`);
    }
  }
}
