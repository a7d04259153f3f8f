/** Instants are ISO-8601 strings in events and state; comparisons are done on epoch milliseconds. */
export type EpochMs = number;

// Each keeps its last answer: a command reads the same instants again and again (its own `now`, a
// one-block account's grantedAt in every view), and parsing or printing one costs 0.2–0.5 µs.
let parsedIso = '';
let parsedMs: EpochMs = Number.NaN;
let printedMs: EpochMs = Number.NaN;
let printedIso = '';

export function epochMs(iso: string): EpochMs {
  if (iso !== parsedIso) {
    parsedMs = Date.parse(iso);
    parsedIso = iso;
  }
  return parsedMs;
}

export function isoAt(ms: EpochMs): string {
  if (ms !== printedMs) {
    printedIso = new Date(ms).toISOString();
    printedMs = ms;
  }
  return printedIso;
}

/** Something with this deadline is over at `nowMs` (the deadline itself counts as passed). */
export function isDue(deadline: string | null, nowMs: EpochMs): boolean {
  return deadline !== null && epochMs(deadline) <= nowMs;
}
