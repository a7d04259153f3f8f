/** LEDGER.md "Amounts and time": a command amount is 1 … 1,000,000,000,000. */
export const MIN_COMMAND_CREDITS = 1;
export const MAX_COMMAND_CREDITS = 1_000_000_000_000;
/** Totals must stay exact in a JS number; a command that would pass this is refused. */
export const MAX_BALANCE_CREDITS = Number.MAX_SAFE_INTEGER;
/** LEDGER.md "Reserve": default 15 minutes, max 24 hours. */
export const DEFAULT_RESERVATION_TTL_SECONDS = 900;
export const MAX_RESERVATION_TTL_SECONDS = 86_400;
/**
 * LEDGER.md "Accounts and streams". Not `.` or `..`: they are path segments with a meaning of their
 * own (a client or proxy that normalizes URLs would send the request somewhere else).
 */
export const ACCOUNT_ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._:@-]{1,128}$/;
export const STREAM_PREFIX = 'credits-';

export function streamIdFor(accountId: string): string {
  return `${STREAM_PREFIX}${accountId}`;
}

export function accountIdFromStream(streamId: string): string | null {
  return streamId.startsWith(STREAM_PREFIX) ? streamId.slice(STREAM_PREFIX.length) : null;
}
