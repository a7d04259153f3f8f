import type { GlobalPosition } from '../event-store.port';

/**
 * A PostgreSQL global position is the pair the global log is ordered by: the writing
 * transaction's id (xid8) and the event's global_position (see ARCHITECTURE.md "Event store
 * port"). Encoded as `<xid>-<global_position>`, each zero-padded to 20 digits so that the text
 * order of two positions equals their log order (handy when a checkpoint sits in a text column
 * or a log line); `comparePositions` does not rely on the padding and compares numerically.
 */
export interface PostgresPosition {
  transactionId: bigint;
  globalPosition: bigint;
}

const DIGITS = 20; // 2^64 - 1 has 20 decimal digits.
const PATTERN = /^(\d{1,20})-(\d{1,20})$/;

/** Before every event: xid 0 is never assigned to a transaction, global_position starts at 1. */
export const START_POSITION: GlobalPosition = encodePosition(0n, 0n);

export function encodePosition(
  transactionId: bigint | string,
  globalPosition: bigint | number | string,
): GlobalPosition {
  return `${String(transactionId).padStart(DIGITS, '0')}-${String(globalPosition).padStart(DIGITS, '0')}`;
}

export function parsePosition(position: GlobalPosition): PostgresPosition {
  const match = PATTERN.exec(position);
  if (!match)
    throw new RangeError(`not a PostgreSQL event store position: ${JSON.stringify(position)}`);
  return { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) };
}

export function comparePostgresPositions(a: GlobalPosition, b: GlobalPosition): number {
  const left = parsePosition(a);
  const right = parsePosition(b);
  if (left.transactionId !== right.transactionId)
    return left.transactionId < right.transactionId ? -1 : 1;
  if (left.globalPosition !== right.globalPosition)
    return left.globalPosition < right.globalPosition ? -1 : 1;
  return 0;
}
