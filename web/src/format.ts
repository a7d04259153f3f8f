/** Numbers and money as the reader's locale writes them. */
const credits = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatCredits(value: number): string {
  return credits.format(value);
}

/** `+275` / `−12` (a real minus sign, as typeset). */
export function formatSignedCredits(value: number): string {
  return value > 0 ? `+${credits.format(value)}` : value < 0 ? `−${credits.format(-value)}` : '0';
}

/** Minor units (API.md: JSON integers) in the currency's own decimals: 2500 USD → $25.00. */
export function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dates.format(date);
}
