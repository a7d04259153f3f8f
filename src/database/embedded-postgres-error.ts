import { inspect } from 'node:util';

/**
 * The embedded PostgreSQL could not be started, reached or stopped. The message is for people: one
 * sentence saying what and why (and what to do when there is something to do), then PostgreSQL's
 * own last lines when it said anything. Never a bare code or `undefined`.
 */
export class EmbeddedPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

/** A system error as a short reason: `EACCES (permission denied)`, or the message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message || error.name;
    return code && !message.includes(code) ? `${code}: ${message}` : message;
  }
  if (error === undefined || error === null) return 'no reason given';
  // Not String(): an object would read `[object Object]`.
  return typeof error === 'string' ? error : inspect(error, { breakLength: Infinity });
}
