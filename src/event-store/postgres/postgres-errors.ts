import { EventStoreUnavailableError } from '../event-store.port';

// SQLSTATEs that say "the database cannot serve this now", not "this request is wrong":
// 08 connection exception, 53 insufficient resources (too many connections, disk full),
// 57P01-57P05 shutdown / cannot connect now / database dropped, 57014 statement timeout or
// cancel, 58 system (I/O) error, 25006 read-only transaction (a failover left us on a standby).
const UNAVAILABLE_SQLSTATE = /^(08|53|58|57P0[1-5]|57014|25006)/;

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

// node-postgres and pg-pool signal lost or unobtainable connections with plain Errors.
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'Query read timeout',
];

/** True when the error means PostgreSQL could not be reached or could not serve the request. */
export function isUnavailableError(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: Node's socket errors may come from another realm (jest).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_NODE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))
  ) {
    return true;
  }
  if (
    typeof message === 'string' &&
    UNAVAILABLE_MESSAGES.some((prefix) => message.startsWith(prefix))
  )
    return true;
  // Node's happy-eyeballs connect reports every failed address in an AggregateError.
  return Array.isArray(errors) && errors.some(isUnavailableError);
}

/** Rethrows connection-level failures as EventStoreUnavailableError; everything else unchanged. */
export function mapPostgresError(error: unknown, operation: string): unknown {
  if (error instanceof EventStoreUnavailableError || !isUnavailableError(error)) return error;
  return new EventStoreUnavailableError(
    `PostgreSQL event store unavailable during ${operation}: ${String((error as Error).message)}`,
    error,
  );
}

// SQLSTATEs that blame the values a statement was given, not the database or the moment: class 22
// data exception (\u0000 in jsonb, NUL in text, an unpaired surrogate, a value out of range),
// class 23 integrity constraint violation (a reused event id), 54000 program limit exceeded (a
// value too large for an index row). Never connection errors, timeouts, serialization failures or
// deadlocks: those are about the moment, and would fail every part of a statement alike.
const VALUE_FAULT_SQLSTATE = /^(?:22|23)[0-9A-Z]{3}$|^54000$/;

/** True when PostgreSQL refused a statement because of the values in it. */
export function isValueFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && VALUE_FAULT_SQLSTATE.test(code);
}
