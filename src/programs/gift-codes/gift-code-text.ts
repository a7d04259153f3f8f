import { createHash, randomBytes } from 'node:crypto';

/**
 * Crockford's base-32 alphabet: digits and capitals without I, L, O and U, so a code read aloud or
 * retyped survives (an O typed for a 0, an l for a 1 are mapped back).
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols of 5 bits: 100 bits of randomness (PRODUCT.md §2 asks for at least 80). */
const SYMBOLS = 20;
const GROUP = 5;
export const GIFT_CODE_BITS = SYMBOLS * 5;

/** A new code, `XXXXX-XXXXX-XXXXX-XXXXX`, from the system's CSPRNG. */
export function newGiftCode(): string {
  const bytes = randomBytes(SYMBOLS);
  let code = '';
  for (let index = 0; index < SYMBOLS; index++) {
    // 256 is a multiple of 32: the low five bits of a random byte are uniform.
    code += ALPHABET[bytes[index] & 31];
    if (index % GROUP === GROUP - 1 && index < SYMBOLS - 1) code += '-';
  }
  return code;
}

/**
 * The code as typed, in its one canonical spelling (upper case, no separators, look-alikes mapped),
 * or null when it cannot be a code at all.
 */
export function canonicalGiftCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (plain.length !== SYMBOLS) return null;
  for (const symbol of plain) if (!ALPHABET.includes(symbol)) return null;
  return plain;
}

/** What is stored and claimed instead of the code: its SHA-256 (hex) in canonical spelling. */
export function giftCodeHash(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}
