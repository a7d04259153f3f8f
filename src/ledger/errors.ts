/**
 * A stream or a command broke an assumption the ledger cannot work around: an event names a block,
 * hold or spend the stream never created, or a command reuses an id of something that exists.
 * These are programming or data errors (a 500), never answers to a client's mistake (those are
 * Rejections).
 */
export class LedgerInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInvariantError';
  }
}
