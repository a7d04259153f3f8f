/**
 * The period of a report (API.md "Reports"): `from` inclusive, `to` exclusive, each an ISO-8601
 * instant with an offset or a date (midnight UTC); by default the last 30 days; at most two years.
 * Pure: `now` is given.
 */
export const DEFAULT_PERIOD_DAYS = 30;
/** Two years, leap day included. */
export const MAX_PERIOD_DAYS = 731;
export const DAY_MS = 86_400_000;

export interface Period {
  from: Date;
  to: Date;
}

/** A report request that cannot be answered as asked (400 `validation_failed`, naming `field`). */
export class InvalidReportQueryError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidReportQueryError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether a query value is a date or an instant this API reads (the DTO's check). */
export function isInstantOrDate(value: unknown): value is string {
  return typeof value === 'string' && parseInstantOrDate(value) !== null;
}

/** A date is midnight UTC; an instant needs its offset. Impossible dates (02-30) are refused. */
export function parseInstantOrDate(value: string): Date | null {
  if (DATE.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? date : null;
  }
  if (!INSTANT.test(value)) return null;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return null;
  // Date rolls 2026-02-30 over into March: compare the calendar date it was given (before the offset).
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day ? instant : null;
}

/** Resolves the requested period against `now`. Throws InvalidReportQueryError. */
export function resolvePeriod(query: { from?: string; to?: string }, now: Date): Period {
  const to = query.to === undefined ? now : parseInstantOrDate(query.to);
  if (to === null) throw new InvalidReportQueryError('to', 'must be an ISO-8601 instant or date');
  const from =
    query.from === undefined
      ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS)
      : parseInstantOrDate(query.from);
  if (from === null)
    throw new InvalidReportQueryError('from', 'must be an ISO-8601 instant or date');
  if (from.getTime() >= to.getTime()) {
    const field = query.to === undefined ? 'from' : 'to';
    throw new InvalidReportQueryError(
      field,
      field === 'to' ? 'must be after from' : 'must be before to (now)',
    );
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    // Name the field the caller can change: `to` when both were given, else the one given.
    const field = query.to === undefined ? 'from' : 'to';
    throw new InvalidReportQueryError(
      field,
      `the period from ${from.toISOString()} to ${to.toISOString()} is longer than ${MAX_PERIOD_DAYS} days (two years)`,
    );
  }
  return { from, to };
}

/** Analytics count whole UTC days: `from` back to its midnight, `to` up to the next one. */
export function wholeDays(period: Period): Period {
  const floor = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
  return {
    from: new Date(floor(period.from.getTime())),
    to: new Date(Math.ceil(period.to.getTime() / DAY_MS) * DAY_MS),
  };
}

/** The period of the same length just before. */
export function previousPeriod(period: Period): Period {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from };
}

/** `YYYY-MM-DD` of a UTC midnight. */
export function dayString(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
