import type { PhaseResult } from './phase';

export interface Target {
  /** e.g. "≥ 1.0× raw-insert and ≥ 2× emmett". */
  text: string;
  /** null: could not be judged (scenario not available, or a baseline missing). */
  met: boolean | null;
}

/** One row of bench/results/latest.json (the first five fields are the fixed shape). */
export interface ScenarioResult {
  name: string;
  opsPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  baselines: Record<string, number>;
  available: boolean;
  target: Target;
  /** Operations that failed (anything but a success or, where allowed, a 402). */
  errors: number | null;
  /** Refused for lack of credits (402). */
  rejected: number | null;
  peakRssMb?: number;
  notes: string[];
  details: Record<string, unknown>;
}

export function notAvailable(name: string, target: string, reason: string): ScenarioResult {
  return {
    name,
    opsPerSec: null,
    p50Ms: null,
    p99Ms: null,
    baselines: {},
    available: false,
    target: { text: target, met: null },
    errors: null,
    rejected: null,
    notes: [`not available: ${reason}`],
    details: {},
  };
}

export function failed(name: string, target: string, error: unknown): ScenarioResult {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    ...notAvailable(name, target, `failed: ${message.split('\n')[0]}`),
    details: { error: message },
  };
}

/** The measured fields of a timed phase, for `details`. */
export function phaseDetails(phase: PhaseResult): Record<string, unknown> {
  return {
    seconds: phase.seconds,
    ok: phase.ok,
    rejected: phase.rejected,
    errors: phase.errors,
    ...(phase.errors > 0 ? { errorKinds: phase.errorKinds, errorSample: phase.errorSample } : {}),
    latency: phase.latency,
    warmup: phase.warmup,
    resources: phase.resources,
  };
}

export interface BaselineResult {
  name: string;
  opsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
  notes: string[];
  details: Record<string, unknown>;
}
