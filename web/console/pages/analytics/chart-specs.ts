/**
 * The Analytics page's charts as plain data, built from the API's answers (docs/reports.md
 * "Analytics"): one spec is what the chart draws, what its hidden table lists and what its CSV
 * holds, so the three can never disagree. Pure: no React, no Chart.js.
 */

export interface PeriodAnswer {
  from: string;
  to: string;
}

export interface AnalyticsAnswer<Row> {
  groupBy: string;
  period: PeriodAnswer;
  previousPeriod: PeriodAnswer;
  data: Row[];
  previous: Row[];
}

export interface UsageDayRow {
  day: string;
  credits: number;
  spentCredits: number;
  spends: number;
  activeAccounts: number;
  byOperation: Array<{ operationId: string | null; credits: number; spends: number }>;
}

export interface UsageOperationRow {
  operationId: string | null;
  credits: number;
  spentCredits: number;
  spends: number;
}

export interface Revenue {
  currency: string;
  amountMinor: number;
}

export interface PurchaseRowBase {
  purchases: number;
  credits: number;
  revenue: Revenue[];
}

export type PurchaseDayRow = PurchaseRowBase & { day: string };
export type PurchasePackRow = PurchaseRowBase & { packId: string | null };

export interface AnalyticsAnswers {
  usageByDay: AnalyticsAnswer<UsageDayRow>;
  usageByOperation: AnalyticsAnswer<UsageOperationRow>;
  purchasesByDay: AnalyticsAnswer<PurchaseDayRow>;
  purchasesByPack: AnalyticsAnswer<PurchasePackRow>;
}

export interface ChartDataset {
  label: string;
  data: number[];
  /** Drawn as bars (stacked when the chart is) or as a line over them (the previous period). */
  kind: 'bar' | 'line';
  /** A figure of the previous period, drawn dashed. */
  previous: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** What the chart shows, for the figure's caption and its text alternative. */
  description: string;
  /** The x axis: days (`YYYY-MM-DD`), operations or packs. */
  labelHeader: string;
  labels: string[];
  datasets: ChartDataset[];
  stacked: boolean;
  /** Comparison figures shown above the chart: this period against the previous one. */
  totals: Array<{ label: string; current: number; previous: number }>;
}

/** A null operation or pack, as the page names it. */
export const NO_OPERATION = '(no operation)';
export const NO_PACK = '(no pack)';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Digits after the decimal point of a currency (2 for USD, 0 for JPY), from the browser's ICU. */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** Minor units as the currency's major unit (2500 USD → 25), the number a chart shows. */
export function majorUnits(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** currencyDigits(currency);
}

/** Rounded to two decimals: an average as the chart, its table and its CSV show it. */
export function twoDecimals(value: number): number {
  return Math.round(value * 100) / 100;
}

const span = (period: PeriodAnswer) => `${period.from.slice(0, 10)} to ${period.to.slice(0, 10)}`;

/**
 * A previous period's dataset: short, for the legend and the CSV header (the dates are in the
 * description). Per day, day i of the period is drawn over day i of the previous one.
 */
const PREVIOUS = 'previous period';

/** "2026-02-18 to 2026-03-21, compared with 2026-01-18 to 2026-02-18". */
const spans = (answer: AnalyticsAnswer<unknown>) =>
  `${span(answer.period)}, compared with ${span(answer.previousPeriod)}`;

function usageByOperationPerDay(answer: AnalyticsAnswer<UsageDayRow>): ChartSpec {
  const operations = [
    ...new Set(
      answer.data.flatMap((row) => row.byOperation.map((entry) => entry.operationId ?? '')),
    ),
  ].sort();
  return {
    id: 'usage-by-operation',
    title: 'Credits spent per day, by operation',
    description: `Net credits used each day (spent minus refunded), stacked by operation, ${spans(answer)} (the dashed line: its daily total, day for day).`,
    labelHeader: 'day',
    labels: answer.data.map((row) => row.day),
    datasets: [
      ...operations.map((operation): ChartDataset => ({
        label: operation === '' ? NO_OPERATION : operation,
        data: answer.data.map(
          (row) =>
            row.byOperation.find((entry) => (entry.operationId ?? '') === operation)?.credits ?? 0,
        ),
        kind: 'bar',
        previous: false,
      })),
      {
        label: `Total, ${PREVIOUS}`,
        data: answer.previous.map((row) => row.credits),
        kind: 'line',
        previous: true,
      },
    ],
    stacked: true,
    totals: [
      {
        label: 'Credits used',
        current: sum(answer.data.map((row) => row.credits)),
        previous: sum(answer.previous.map((row) => row.credits)),
      },
    ],
  };
}

function activeAccounts(answer: AnalyticsAnswer<UsageDayRow>): ChartSpec {
  return {
    id: 'active-accounts',
    title: 'Active accounts per day',
    description: `Accounts with at least one spend each day, ${spans(answer)} (dashed, day for day).`,
    labelHeader: 'day',
    labels: answer.data.map((row) => row.day),
    datasets: [
      {
        label: 'Active accounts',
        data: answer.data.map((row) => row.activeAccounts),
        kind: 'bar',
        previous: false,
      },
      {
        label: `Active accounts, ${PREVIOUS}`,
        data: answer.previous.map((row) => row.activeAccounts),
        kind: 'line',
        previous: true,
      },
    ],
    stacked: false,
    totals: [
      {
        label: 'Busiest day',
        current: Math.max(0, ...answer.data.map((row) => row.activeAccounts)),
        previous: Math.max(0, ...answer.previous.map((row) => row.activeAccounts)),
      },
    ],
  };
}

function averagePerOperation(answer: AnalyticsAnswer<UsageOperationRow>): ChartSpec {
  const key = (row: UsageOperationRow) => row.operationId ?? '';
  const operations = [...new Set([...answer.data, ...answer.previous].map(key))].sort();
  const average = (rows: UsageOperationRow[], operation: string) => {
    const row = rows.find((candidate) => key(candidate) === operation);
    return row && row.spends > 0 ? twoDecimals(row.spentCredits / row.spends) : 0;
  };
  return {
    id: 'average-per-operation',
    title: 'Average credits per operation',
    description: `Credits spent divided by the number of spends, per operation, ${spans(answer)} (0: not used).`,
    labelHeader: 'operation',
    labels: operations.map((operation) => (operation === '' ? NO_OPERATION : operation)),
    datasets: [
      {
        label: 'Average credits per spend',
        data: operations.map((operation) => average(answer.data, operation)),
        kind: 'bar',
        previous: false,
      },
      {
        label: `Average credits per spend, ${PREVIOUS}`,
        data: operations.map((operation) => average(answer.previous, operation)),
        kind: 'bar',
        previous: true,
      },
    ],
    stacked: false,
    totals: [
      {
        label: 'Spends',
        current: sum(answer.data.map((row) => row.spends)),
        previous: sum(answer.previous.map((row) => row.spends)),
      },
    ],
  };
}

function currenciesOf(rows: PurchaseRowBase[]): string[] {
  return [...new Set(rows.flatMap((row) => row.revenue.map((entry) => entry.currency)))].sort();
}

function revenueIn(row: PurchaseRowBase | undefined, currency: string): number {
  const minor = row?.revenue.find((entry) => entry.currency === currency)?.amountMinor ?? 0;
  return majorUnits(minor, currency);
}

function purchasesPerDay(answer: AnalyticsAnswer<PurchaseDayRow>): ChartSpec {
  return {
    id: 'purchases-per-day',
    title: 'Purchases per day',
    description: `Credit purchases each day, ${spans(answer)} (dashed, day for day).`,
    labelHeader: 'day',
    labels: answer.data.map((row) => row.day),
    datasets: [
      {
        label: 'Purchases',
        data: answer.data.map((row) => row.purchases),
        kind: 'bar',
        previous: false,
      },
      {
        label: `Purchases, ${PREVIOUS}`,
        data: answer.previous.map((row) => row.purchases),
        kind: 'line',
        previous: true,
      },
    ],
    stacked: false,
    totals: [
      {
        label: 'Purchases',
        current: sum(answer.data.map((row) => row.purchases)),
        previous: sum(answer.previous.map((row) => row.purchases)),
      },
    ],
  };
}

function revenuePerDay(answer: AnalyticsAnswer<PurchaseDayRow>): ChartSpec {
  const currencies = currenciesOf([...answer.data, ...answer.previous]);
  return {
    id: 'revenue-per-day',
    title: 'Revenue per day',
    description: `Money paid for credits each day (gross, in each currency's major unit), ${spans(answer)} (dashed, day for day).`,
    labelHeader: 'day',
    labels: answer.data.map((row) => row.day),
    datasets: currencies.flatMap((currency): ChartDataset[] => [
      {
        label: `Revenue ${currency}`,
        data: answer.data.map((row) => revenueIn(row, currency)),
        kind: 'bar',
        previous: false,
      },
      {
        label: `Revenue ${currency}, ${PREVIOUS}`,
        data: answer.previous.map((row) => revenueIn(row, currency)),
        kind: 'line',
        previous: true,
      },
    ]),
    stacked: false,
    totals: currencies.map((currency) => ({
      label: `Revenue ${currency}`,
      current: twoDecimals(sum(answer.data.map((row) => revenueIn(row, currency)))),
      previous: twoDecimals(sum(answer.previous.map((row) => revenueIn(row, currency)))),
    })),
  };
}

function perPack(answer: AnalyticsAnswer<PurchasePackRow>): ChartSpec {
  const key = (row: PurchasePackRow) => row.packId ?? '';
  const packs = [...new Set([...answer.data, ...answer.previous].map(key))].sort();
  const find = (rows: PurchasePackRow[], pack: string) => rows.find((row) => key(row) === pack);
  const currencies = currenciesOf([...answer.data, ...answer.previous]);
  const previous = PREVIOUS;
  return {
    id: 'purchases-per-pack',
    title: 'Purchases and revenue per pack',
    description: `Purchases and gross revenue (major units) per credit pack, ${spans(answer)} (grey).`,
    labelHeader: 'pack',
    labels: packs.map((pack) => (pack === '' ? NO_PACK : pack)),
    datasets: [
      {
        label: 'Purchases',
        data: packs.map((pack) => find(answer.data, pack)?.purchases ?? 0),
        kind: 'bar',
        previous: false,
      },
      {
        label: `Purchases, ${previous}`,
        data: packs.map((pack) => find(answer.previous, pack)?.purchases ?? 0),
        kind: 'bar',
        previous: true,
      },
      ...currencies.flatMap((currency): ChartDataset[] => [
        {
          label: `Revenue ${currency}`,
          data: packs.map((pack) => revenueIn(find(answer.data, pack), currency)),
          kind: 'bar',
          previous: false,
        },
        {
          label: `Revenue ${currency}, ${previous}`,
          data: packs.map((pack) => revenueIn(find(answer.previous, pack), currency)),
          kind: 'bar',
          previous: true,
        },
      ]),
    ],
    stacked: false,
    totals: [],
  };
}

/** Every chart of the page, in the order shown. */
export function chartSpecs(answers: AnalyticsAnswers): ChartSpec[] {
  return [
    usageByOperationPerDay(answers.usageByDay),
    purchasesPerDay(answers.purchasesByDay),
    revenuePerDay(answers.purchasesByDay),
    perPack(answers.purchasesByPack),
    activeAccounts(answers.usageByDay),
    averagePerOperation(answers.usageByOperation),
  ];
}

/** RFC 4180 text of a chart: a header (the axis, then each dataset) and one row per label. */
export function chartCsv(spec: ChartSpec): string {
  const cell = (value: string) => {
    // A label starting like a formula is shown as text by spreadsheets (docs/reports.md).
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [[spec.labelHeader, ...spec.datasets.map((dataset) => dataset.label)].map(cell)];
  spec.labels.forEach((label, index) =>
    lines.push([cell(label), ...spec.datasets.map((dataset) => String(dataset.data[index] ?? 0))]),
  );
  return lines.map((line) => `${line.join(',')}\r\n`).join('');
}
