import type { LedgerEvent, Money, ReversalReason } from '../ledger/events';

/** One currency's payments over a period, from the ledger's own events (the truth for finance). */
export interface PaymentsTotals {
  currency: string;
  purchases: number;
  /** Money paid by the purchases of the period, in minor units. */
  moneyInMinor: number;
  creditsPurchased: number;
  /** Reversed (removed + shortfall) by reason, in credits, and valued at each purchase's price. */
  refunded: { credits: number; removedCredits: number; valueMinor: number };
  disputed: { credits: number; removedCredits: number; valueMinor: number };
  /** Given back (a dispute won, a refund failed): restored credits, and reversed credits undone. */
  reinstated: { credits: number; undoneCredits: number; valueMinor: number };
  /**
   * Credits already spent when money went back out (reversal shortfalls of the period) less those
   * cancelled by a reinstatement in the period: what the customer consumed without paying for.
   */
  shortfallCredits: number;
  /**
   * Credits the period's payment events moved into or out of balances: creditsPurchased −
   * removed + restored. Equals the sum of those events' balance changes, to the credit.
   */
  netCredits: number;
}

export interface PaymentsSummary {
  from: string | null;
  to: string | null;
  totals: PaymentsTotals[];
}

interface PurchaseFacts {
  credits: number;
  amountPaid: Money;
}

/**
 * Sums every account's payment events (CreditsPurchased, PurchaseReversed, ReversalUndone) whose
 * occurredAt is in [from, to). Pure; fed with the whole log in order, so that a reversal in the
 * period of a purchase made before it is valued at that purchase's price. A value is
 * credits × price / purchased credits, rounded down per event.
 */
export class PaymentsBook {
  private readonly purchases = new Map<string, PurchaseFacts>();
  private readonly totals = new Map<string, PaymentsTotals>();

  constructor(private readonly period: { from: Date | null; to: Date | null }) {}

  add(accountId: string, event: LedgerEvent): void {
    if (
      event.type !== 'CreditsPurchased' &&
      event.type !== 'PurchaseReversed' &&
      event.type !== 'ReversalUndone'
    )
      return;
    const key = `${accountId}\u0000${event.data.purchaseId}`;
    if (event.type === 'CreditsPurchased')
      this.purchases.set(key, { credits: event.data.credits, amountPaid: event.data.amountPaid });
    const atMs = Date.parse(event.metadata.occurredAt);
    if (
      (this.period.from && atMs < this.period.from.getTime()) ||
      (this.period.to && atMs >= this.period.to.getTime())
    )
      return;
    const purchase = this.purchases.get(key);
    if (!purchase) return;
    const totals = this.totalsOf(purchase.amountPaid.currency);
    const valueOf = (credits: number) =>
      Math.floor((credits * purchase.amountPaid.minor) / purchase.credits);
    switch (event.type) {
      case 'CreditsPurchased':
        totals.purchases += 1;
        totals.moneyInMinor += event.data.amountPaid.minor;
        totals.creditsPurchased += event.data.credits;
        totals.netCredits += event.data.credits;
        return;
      case 'PurchaseReversed': {
        const removed = event.data.credits - event.data.shortfall;
        const line = this.byReason(totals, event.data.reason);
        line.credits += event.data.credits;
        line.removedCredits += removed;
        line.valueMinor += valueOf(event.data.credits);
        totals.shortfallCredits += event.data.shortfall;
        totals.netCredits -= removed;
        return;
      }
      case 'ReversalUndone': {
        const undone = event.data.credits + event.data.shortfallCancelled;
        totals.reinstated.credits += event.data.credits;
        totals.reinstated.undoneCredits += undone;
        totals.reinstated.valueMinor += valueOf(undone);
        totals.shortfallCredits -= event.data.shortfallCancelled;
        totals.netCredits += event.data.credits;
        return;
      }
    }
  }

  summary(): PaymentsSummary {
    return {
      from: this.period.from?.toISOString() ?? null,
      to: this.period.to?.toISOString() ?? null,
      totals: [...this.totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    };
  }

  private byReason(totals: PaymentsTotals, reason: ReversalReason): PaymentsTotals['refunded'] {
    return reason === 'dispute' ? totals.disputed : totals.refunded;
  }

  private totalsOf(currency: string): PaymentsTotals {
    let totals = this.totals.get(currency);
    if (!totals) {
      totals = {
        currency,
        purchases: 0,
        moneyInMinor: 0,
        creditsPurchased: 0,
        refunded: { credits: 0, removedCredits: 0, valueMinor: 0 },
        disputed: { credits: 0, removedCredits: 0, valueMinor: 0 },
        reinstated: { credits: 0, undoneCredits: 0, valueMinor: 0 },
        shortfallCredits: 0,
        netCredits: 0,
      };
      this.totals.set(currency, totals);
    }
    return totals;
  }
}

export function formatPayments(summary: PaymentsSummary, format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(summary, null, 2)}\n`;
  const header = [
    'currency',
    'purchases',
    'money_in_minor',
    'credits_purchased',
    'refunded_credits',
    'refunded_value_minor',
    'disputed_credits',
    'disputed_value_minor',
    'reinstated_credits',
    'reinstated_value_minor',
    'shortfall_credits',
    'net_credits',
  ];
  const rows = summary.totals.map((t) =>
    [
      t.currency,
      t.purchases,
      t.moneyInMinor,
      t.creditsPurchased,
      t.refunded.credits,
      t.refunded.valueMinor,
      t.disputed.credits,
      t.disputed.valueMinor,
      t.reinstated.undoneCredits,
      t.reinstated.valueMinor,
      t.shortfallCredits,
      t.netCredits,
    ].map(String),
  );
  if (format === 'csv') return [header, ...rows].map((row) => row.join(',')).join('\n') + '\n';
  const title = `payments from ${summary.from ?? 'the beginning'} to ${summary.to ?? 'now'}\n`;
  const widths = header.map((name, i) =>
    Math.max(name.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');
  return title + [line(header), ...rows.map(line)].join('\n') + '\n';
}
