import { type EpochMs, epochMs } from './instants';

/** Calendar months are recognised up to a year: Stripe's intervals are day, week, month and year. */
const MAX_MONTHS_PER_PERIOD = 12;

/**
 * The instant `count` periods after `periodEnd`, for periods like [periodStart, periodEnd). A period
 * of whole calendar months (Stripe's month and year intervals) steps by months, the day of the
 * month clamped to the month's length (Jan 31 + 1 month = Feb 28); any other period (days, weeks)
 * steps by its exact length.
 */
export function periodsAfter(periodStart: string, periodEnd: string, count: number): EpochMs {
  const startMs = epochMs(periodStart);
  const endMs = epochMs(periodEnd);
  for (let months = 1; months <= MAX_MONTHS_PER_PERIOD; months += 1) {
    if (addMonths(startMs, months) === endMs) return addMonths(endMs, months * count);
  }
  return endMs + (endMs - startMs) * count;
}

/** UTC calendar months later, same time of day, the day clamped to the target month's last day. */
export function addMonths(ms: EpochMs, months: number): EpochMs {
  const date = new Date(ms);
  const monthIndex = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}
