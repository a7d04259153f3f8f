/** Instants are ISO-8601 strings in events and state; comparisons are done on epoch milliseconds. */
export type EpochMs = number;

export function epochMs(iso: string): EpochMs {
  return Date.parse(iso);
}

export function isoAt(ms: EpochMs): string {
  return new Date(ms).toISOString();
}

/** Something with this deadline is over at `nowMs` (the deadline itself counts as passed). */
export function isDue(deadline: string | null, nowMs: EpochMs): boolean {
  return deadline !== null && epochMs(deadline) <= nowMs;
}
