/** What happens to a delivery after an attempt (pure; the worker writes it). */
export type AttemptOutcome =
  | { status: 'succeeded' }
  | { status: 'pending'; nextAttemptAt: Date; scheduleStep: number }
  | { status: 'failed' };

/**
 * WEBHOOK_RETRY_SCHEDULE: after the n-th failed attempt of a schedule, wait schedule[n-1] seconds;
 * when the schedule is used up the delivery is `failed` (1 + schedule.length attempts in all).
 */
export function afterAttempt(
  succeeded: boolean,
  scheduleStep: number,
  scheduleSeconds: readonly number[],
  now: Date,
): AttemptOutcome {
  if (succeeded) return { status: 'succeeded' };
  if (scheduleStep >= scheduleSeconds.length) return { status: 'failed' };
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + Math.round(scheduleSeconds[scheduleStep] * 1000)),
    scheduleStep: scheduleStep + 1,
  };
}

/** An endpoint whose failures started at least `disableAfterSeconds` ago is disabled. */
export function shouldDisable(
  failingSince: Date | null,
  now: Date,
  disableAfterSeconds: number,
): boolean {
  return (
    failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterSeconds * 1000
  );
}

/** 2xx is a success (Standard Webhooks); anything else, a timeout or a refused address, a failure. */
export function isSuccess(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}
