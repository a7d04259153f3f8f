import { DAY_MS, dayString, type Period } from '../period';

/**
 * How the account question reads a period from the roll-ups (analytics_account_usage_rollup:
 * calendar months, quarters, years) and the daily rows: as a sum of units that may also SUBTRACT
 * some, when that reads fewer rows. One year to yesterday is "the year 2026 minus December 2026
 * (empty: the future) plus December 2025 plus one day" (three roll-up units and a day) rather than
 * "a day, a month, three quarters, two months" (six units). Pure.
 */
export type Granularity = 'year' | 'quarter' | 'month' | 'day';

export interface SignedRange {
  granularity: Granularity;
  /** First day included (`YYYY-MM-DD`, the start of a unit of that granularity). */
  from: string;
  /** First day excluded. */
  to: string;
  /** +1: added; -1: subtracted. */
  sign: 1 | -1;
}

const LEVELS: readonly Granularity[] = ['year', 'quarter', 'month', 'day'];

/**
 * What reading one unit costs, relative to a month: roughly the accounts active in it. A year
 * holds a little more than a month, a day far fewer. Units that start after `now` hold nothing
 * (nothing is recorded in the future) and cost almost nothing to read.
 */
const WEIGHT: Record<Granularity, number> = { year: 1.3, quarter: 1.15, month: 1, day: 0.1 };
const FUTURE_WEIGHT = 0.001;

function floorTo(unit: Granularity, ms: number): number {
  if (unit === 'day') return Math.floor(ms / DAY_MS) * DAY_MS;
  const instant = new Date(ms);
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  if (unit === 'year') return Date.UTC(year, 0, 1);
  if (unit === 'quarter') return Date.UTC(year, month - (month % 3), 1);
  return Date.UTC(year, month, 1);
}

function next(unit: Granularity, ms: number): number {
  if (unit === 'day') return ms + DAY_MS;
  const instant = new Date(ms);
  const months = unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1;
  return Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + months, 1);
}

function ceilTo(unit: Granularity, ms: number): number {
  const floor = floorTo(unit, ms);
  return floor === ms ? floor : next(unit, floor);
}

/** A range in ms, its strings made only for the cover chosen. */
interface MsRange {
  granularity: Granularity;
  from: number;
  to: number;
  sign: 1 | -1;
}

interface Cover {
  cost: number;
  ranges: MsRange[];
}

const EMPTY: Cover = { cost: 0, ranges: [] };

/**
 * The cheapest signed cover of a whole-day period. At each level (years, then quarters, months,
 * days) the middle is covered by whole units from the floor or the ceiling of each edge; what
 * that leaves out (or takes in too much) at the edges is covered, added or subtracted, by the
 * finer levels. Memoised: a few hundred candidates at most.
 */
export function signedCover(period: Period, now: Date): SignedRange[] {
  const future = floorTo('day', now.getTime()) + DAY_MS;
  const memo = new Map<string, Cover>();

  const unitsCost = (unit: Granularity, from: number, to: number) => {
    if (unit === 'day') {
      const past = Math.max(0, Math.min(to, future) - from) / DAY_MS;
      return past * WEIGHT.day + ((to - from) / DAY_MS - past) * FUTURE_WEIGHT;
    }
    let cost = 0;
    for (let at = from; at < to; at = next(unit, at))
      cost += at >= future ? FUTURE_WEIGHT : WEIGHT[unit];
    return cost;
  };
  const negate = (cover: Cover): Cover => ({
    cost: cover.cost,
    ranges: cover.ranges.map((range): MsRange => ({ ...range, sign: range.sign === 1 ? -1 : 1 })),
  });

  const best = (from: number, to: number, level: number): Cover => {
    if (from === to) return EMPTY;
    const memoKey = `${from}:${to}:${level}`;
    const known = memo.get(memoKey);
    if (known) return known;
    const unit = LEVELS[level];
    let found: Cover;
    if (unit === 'day') {
      found = {
        cost: unitsCost('day', from, to),
        ranges: [{ granularity: 'day', from, to, sign: 1 }],
      };
    } else {
      found = best(from, to, level + 1);
      for (const lo of new Set([floorTo(unit, from), ceilTo(unit, from)]))
        for (const hi of new Set([floorTo(unit, to), ceilTo(unit, to)])) {
          if (lo >= hi) continue;
          // The edges: added when the whole units leave them out, subtracted when they take in too much.
          const left = from <= lo ? best(from, lo, level + 1) : negate(best(lo, from, level + 1));
          const right = hi <= to ? best(hi, to, level + 1) : negate(best(to, hi, level + 1));
          const cost = left.cost + unitsCost(unit, lo, hi) + right.cost;
          if (cost < found.cost - 1e-9)
            found = {
              cost,
              ranges: [
                ...left.ranges,
                { granularity: unit, from: lo, to: hi, sign: 1 },
                ...right.ranges,
              ],
            };
        }
    }
    memo.set(memoKey, found);
    return found;
  };

  const from = period.from.getTime();
  const to = period.to.getTime();
  if (from >= to) return [];
  return best(from, to, 0).ranges.map((range) => ({
    ...range,
    from: dayString(new Date(range.from)),
    to: dayString(new Date(range.to)),
  }));
}
