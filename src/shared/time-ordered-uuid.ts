import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the OS in batches: one system call per 256 ids instead of one each. */
const RANDOM_POOL_BYTES = 10 * 256;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomOffset = RANDOM_POOL_BYTES;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A version 7 UUID (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits. Event
 * ids are unique-indexed: random (v4) ids land on a random page of that index for every event, and
 * after each checkpoint the first change to a page writes the whole 8 KB page to the WAL again.
 * Ids that grow with time land on the index's last pages. Uniqueness rests on the random bits
 * (as with v4); the time part is the wall clock, used for index locality only, never as business time.
 */
export function timeOrderedUuid(nowMs: number = Date.now()): string {
  if (randomOffset === RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  // Read in place: a subarray per id was a Buffer allocated per event.
  const at = randomOffset;
  randomOffset += 10;
  const random = randomPool;
  return (
    `${timePrefix(nowMs)}-` +
    `7${HEX[random[at] & 0x0f][1]}${HEX[random[at + 1]]}-` +
    `${HEX[0x80 | (random[at + 2] & 0x3f)]}${HEX[random[at + 3]]}-` +
    `${HEX[random[at + 4]]}${HEX[random[at + 5]]}${HEX[random[at + 6]]}${HEX[random[at + 7]]}${HEX[random[at + 8]]}${HEX[random[at + 9]]}`
  );
}

let prefixMs = Number.NaN;
let prefix = '';

/** `xxxxxxxx-xxxx`, the 48 bits of time; the ids of one millisecond share it, so it is made once. */
function timePrefix(nowMs: number): string {
  if (nowMs !== prefixMs) {
    let time = '';
    for (let shift = 40; shift >= 0; shift -= 8) time += HEX[Math.floor(nowMs / 2 ** shift) % 256];
    prefix = `${time.slice(0, 8)}-${time.slice(8, 12)}`;
    prefixMs = nowMs;
  }
  return prefix;
}
