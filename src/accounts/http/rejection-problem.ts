import type { Rejection } from '../../ledger/rejections';
import { problem, validationProblem, type Problem } from '../../http/errors/problem';

/**
 * The problem for each rejection of the ledger (API.md codes). Here, in the accounts feature, and
 * not in the domain: src/ledger knows nothing of HTTP.
 */
export function rejectionProblem(rejection: Rejection): Problem {
  switch (rejection.code) {
    case 'insufficient_credits':
      return problem(
        'insufficient_credits',
        `${rejection.required} credits required, ${rejection.available} available`,
        {
          available: rejection.available,
          required: rejection.required,
        },
      );
    case 'not_found':
      return problem('not_found', `No ${rejection.entity} ${rejection.id} on this account`);
    case 'reservation_expired':
      return problem(
        'reservation_expired',
        `Reservation ${rejection.reservationId} passed its deadline and was released`,
      );
    case 'reservation_closed':
      return problem(
        'reservation_closed',
        `Reservation ${rejection.reservationId} is already ${rejection.status}`,
        { reservationStatus: rejection.status },
      );
    case 'spend_fully_refunded':
      return problem(
        'spend_fully_refunded',
        `Spend ${rejection.spendId} is already fully refunded`,
        { spendId: rejection.spendId },
      );
    case 'purchase_conflict':
      // Never names the other account: a caller learns only that the reference is taken.
      return problem(
        'purchase_conflict',
        rejection.purchaseId
          ? `providerRef ${rejection.providerRef} is already recorded on this account as purchase ${rejection.purchaseId}, with other figures`
          : `providerRef ${rejection.providerRef} is already recorded for a purchase on another account`,
        {
          providerRef: rejection.providerRef,
          ...(rejection.purchaseId !== undefined && { purchaseId: rejection.purchaseId }),
        },
      );
    case 'refund_exceeds_spend':
      return validationProblem([
        {
          field: 'credits',
          message: `at most ${rejection.refundable} credits of spend ${rejection.spendId} can still be refunded`,
        },
      ]);
    case 'capture_exceeds_hold':
      return validationProblem([
        {
          field: 'credits',
          message: `reservation ${rejection.reservationId} holds ${rejection.held} credits`,
        },
      ]);
    case 'balance_limit':
      return validationProblem([
        { field: 'credits', message: `the account balance may not exceed ${rejection.limit}` },
      ]);
    case 'invalid_expiry':
      return validationProblem([{ field: 'expiresAt', message: 'must be in the future' }]);
    case 'idempotency_key_reused':
      return problem(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request',
      );
    case 'minimum_available':
      return problem(
        'minimum_available',
        `The operation needs at least ${rejection.minimumAvailable} credits available to start, ${rejection.available} available`,
        { available: rejection.available, minimumAvailable: rejection.minimumAvailable },
      );
    case 'quote_expired':
      return problem(
        'quote_expired',
        `Quote ${rejection.quoteId} expired at ${rejection.expiresAt}; ask for a new quote`,
        { quoteId: rejection.quoteId, expiresAt: rejection.expiresAt },
      );
    case 'account_closed':
      // The account it was merged into is not named: the caller may not know that account.
      return problem('account_closed', 'This account was merged and closed; it can still be read');
    case 'quote_used':
      return problem('quote_used', `Quote ${rejection.quoteId} was already used`, {
        quoteId: rejection.quoteId,
      });
    case 'not_a_member':
      return problem(
        'not_a_member',
        `${rejection.memberId} is not a member of this organization's pool`,
        { member: rejection.memberId },
      );
    case 'member_limit_exceeded':
      return problem(
        'member_limit_exceeded',
        `${rejection.memberId} may spend ${rejection.limit} credits per ${rejection.period}; ${rejection.used} used since ${rejection.periodStart}, ${rejection.required} more asked`,
        {
          member: rejection.memberId,
          limit: rejection.limit,
          used: rejection.used,
          period: rejection.period,
          periodStart: rejection.periodStart,
          required: rejection.required,
        },
      );
    case 'too_many_members':
      return problem(
        'too_many_members',
        `An organization pool may have at most ${rejection.limit} members`,
        { limit: rejection.limit },
      );
    case 'gift_code_redeemed':
      return problem('gift_code_redeemed', 'This gift code was already redeemed');
  }
}
