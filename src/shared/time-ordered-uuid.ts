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
  const random = randomPool.subarray(randomOffset, randomOffset + 10);
  randomOffset += 10;
  let time = '';
  for (let shift = 40; shift >= 0; shift -= 8) time += HEX[Math.floor(nowMs / 2 ** shift) % 256];
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-` +
    `7${HEX[random[0] & 0x0f][1]}${HEX[random[1]]}-` +
    `${HEX[0x80 | (random[2] & 0x3f)]}${HEX[random[3]]}-` +
    `${HEX[random[4]]}${HEX[random[5]]}${HEX[random[6]]}${HEX[random[7]]}${HEX[random[8]]}${HEX[random[9]]}`
  );
}
