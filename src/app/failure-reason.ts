import { inspect } from 'node:util';

/**
 * Why something failed, for a person reading the terminal: the message (and its causes), never a
 * stack trace and never `undefined`. A connection refused on every address is an AggregateError
 * with an empty message: its inner errors say it.
 */
export function failureReason(error: unknown): string {
  if (error === undefined || error === null)
    return 'failed without saying why (nothing was thrown with the failure)';
  if (!(error instanceof Error))
    return typeof error === 'string' ? error : inspect(error, { depth: 2, breakLength: Infinity });
  let reason = error.message;
  if (!reason && error instanceof AggregateError)
    reason = [...new Set(error.errors.map(failureReason))].join('; ');
  if (!reason) reason = (error as NodeJS.ErrnoException).code ?? error.name;
  const cause = error.cause;
  if (cause !== undefined && cause !== null) {
    const causeReason = failureReason(cause);
    if (!reason.includes(causeReason)) reason += ` (cause: ${causeReason})`;
  }
  return reason;
}
