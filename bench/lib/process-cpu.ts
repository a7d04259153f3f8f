import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU (utime + stime) of other processes of the bench: the child servers of default-start and two-replicas. */
export class ProcessCpu {
  constructor(private readonly pids: number[]) {}

  /** null when there is nothing to measure (no pids, or no /proc). */
  sample(): { at: number; cpuMs: number } | null {
    if (this.pids.length === 0) return null;
    let cpuMs = 0;
    for (const pid of this.pids) {
      const ms = cpuMsOf(pid);
      if (ms === null) return null;
      cpuMs += ms;
    }
    return { at: Date.now(), cpuMs };
  }

  /** In % of one core since `before` (200 = both cores of a 2-core machine). */
  pctSince(before: { at: number; cpuMs: number } | null): number | null {
    const after = this.sample();
    if (before === null || after === null) return null;
    return Math.round(((after.cpuMs - before.cpuMs) / Math.max(1, after.at - before.at)) * 100);
  }
}

export function cpuMsOf(pid: number): number | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}
