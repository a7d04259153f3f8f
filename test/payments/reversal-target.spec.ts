import { reversalTarget, type PaymentRow } from '../../src/payments/stripe-payments.repository';

const credited: PaymentRow = {
  paymentIntentId: 'pi_1',
  accountId: 'acct-1',
  credits: 275,
  amountMinor: 2500,
  credited: true,
  refundedMinor: 0,
  chargeAmountMinor: null,
  disputed: false,
  reversalEventId: null,
  disputeId: null,
  disputeWon: false,
  failedRefundsMinor: {},
};

describe('reversal target of a PaymentIntent', () => {
  it('is null while nothing is credited', () => {
    expect(
      reversalTarget({
        ...credited,
        credited: false,
        accountId: null,
        credits: null,
        refundedMinor: 1000,
        chargeAmountMinor: 2500,
      }),
    ).toBeNull();
  });

  it('is zero without refund or dispute', () => {
    expect(reversalTarget(credited)).toEqual({ totalCredits: 0, reason: 'refund' });
  });

  it('is the refunded share of the credits, rounded down', () => {
    expect(reversalTarget({ ...credited, refundedMinor: 1000, chargeAmountMinor: 2500 })).toEqual({
      totalCredits: 110,
      reason: 'refund',
    });
    expect(reversalTarget({ ...credited, refundedMinor: 333, chargeAmountMinor: 2500 })).toEqual({
      totalCredits: 36,
      reason: 'refund',
    });
    expect(reversalTarget({ ...credited, refundedMinor: 2500, chargeAmountMinor: 2500 })).toEqual({
      totalCredits: 275,
      reason: 'refund',
    });
  });

  it('falls back on the purchase amount and never exceeds the credits', () => {
    expect(reversalTarget({ ...credited, refundedMinor: 1250 })).toEqual({
      totalCredits: 137,
      reason: 'refund',
    });
    expect(reversalTarget({ ...credited, refundedMinor: 9999, chargeAmountMinor: 2500 })).toEqual({
      totalCredits: 275,
      reason: 'refund',
    });
  });

  it('is exact for amounts whose product passes 2^53', () => {
    const big = {
      ...credited,
      credits: 1_000_000_000_000,
      amountMinor: 99_999_999,
      chargeAmountMinor: 99_999_999,
      refundedMinor: 33_333_333,
    };
    expect(reversalTarget(big)).toEqual({ totalCredits: 333_333_333_333, reason: 'refund' });
  });

  it('is every credit after a dispute', () => {
    expect(
      reversalTarget({ ...credited, disputed: true, refundedMinor: 1000, chargeAmountMinor: 2500 }),
    ).toEqual({ totalCredits: 275, reason: 'dispute' });
  });
});
