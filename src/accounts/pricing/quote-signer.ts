import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { OperationRecord } from '../../ledger/events';

/**
 * Quotes are signed, not stored: the id carries what the quote promised and a MAC over it and the
 * account it was given to: `quote_q1.<payload, base64url JSON>.<HMAC-SHA256, 128 bits, base64url>`.
 * A quote then costs no write (no insert, no commit, no WAL flush on the answer's path) and paying
 * one costs no read; any replica with the same key verifies it. Forging or altering a quote, or
 * paying it from another account, fails the MAC and is answered as an unknown quote (404).
 * Single use is not the id's business: the account's stream enforces it (src/ledger/used-quotes.ts).
 *
 * The key is derived from CUSTOMER_TOKEN_SECRET (required in production, the same on every
 * replica), under a label of its own, so no customer token is a quote and the reverse; rotating the
 * secret voids the quotes given before (they live QUOTE_TTL_SECONDS).
 */
export const SIGNED_QUOTE_PREFIX = 'quote_q1.';
const KEY_LABEL = 'credits-ledger quote signing v1';
const MAC_BYTES = 16;
const MAC_CHARS = 22;
const NONCE_BYTES = 12;
/** The longest id a card allows (64-char operation, 8 dimensions of 32-char names and values). */
export const MAX_SIGNED_QUOTE_ID_LENGTH = 1_024;
const SIGNED_ID = /^quote_q1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/;

/** What a quote promised: what a spend or hold naming it pays. */
export interface QuotePromise {
  operation: OperationRecord;
  credits: number;
  expiresAt: string;
}

/** [rateCardVersion, operationId, quantity, dimensions, credits, expiresAt (epoch ms), nonce] */
type Payload = [number, string, number, Record<string, string>, number, number, string];

export class QuoteSigner {
  constructor(private readonly key: Buffer) {}

  /** From CUSTOMER_TOKEN_SECRET; without one (refused in production) a random key, said loudly. */
  static fromConfig(config: AppConfig): QuoteSigner {
    const { secret } = config.customerTokens;
    if (secret === null) {
      new Logger('QuoteSigner').warn(
        'CUSTOMER_TOKEN_SECRET IS NOT SET: quotes are signed with a random key made for this process. ' +
          'A quote given here cannot be paid after a restart or on another replica.',
      );
      return new QuoteSigner(randomBytes(32));
    }
    return new QuoteSigner(createHmac('sha256', secret).update(KEY_LABEL).digest());
  }

  /** A new quote id for `accountId` (unique: a random nonce, so two equal quotes are two quotes). */
  sign(accountId: string, promise: QuotePromise): string {
    const { operation } = promise;
    const payload: Payload = [
      operation.rateCardVersion,
      operation.operationId,
      operation.quantity,
      operation.dimensions,
      promise.credits,
      Date.parse(promise.expiresAt),
      randomBytes(NONCE_BYTES).toString('base64url'),
    ];
    const body = SIGNED_QUOTE_PREFIX + Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(accountId, body).toString('base64url')}`;
  }

  /** Whether the id is of this form at all (older ids were stored: src/accounts/pricing/quote-store.ts). */
  static isSigned(quoteId: string): boolean {
    return quoteId.startsWith(SIGNED_QUOTE_PREFIX);
  }

  /**
   * What the quote promised, if this key signed it for this account; else null (never said why:
   * another account's quote and a forged one are equally unknown). The MAC is checked first, in
   * constant time, before the payload is parsed.
   */
  verify(accountId: string, quoteId: string): QuotePromise | null {
    if (quoteId.length > MAX_SIGNED_QUOTE_ID_LENGTH) return null;
    const match = SIGNED_ID.exec(quoteId);
    if (!match) return null;
    const body = quoteId.slice(0, quoteId.length - MAC_CHARS - 1);
    const sent = Buffer.from(match[2], 'base64url');
    const expected = this.mac(accountId, body);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return null;
    const [rateCardVersion, operationId, quantity, dimensions, credits, expiresAtMs] = JSON.parse(
      Buffer.from(match[1], 'base64url').toString('utf8'),
    ) as Payload;
    return {
      operation: { operationId, quantity, dimensions, rateCardVersion },
      credits,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
  }

  /** Over the account and the body, so a quote verifies for the account it was given to only. */
  private mac(accountId: string, body: string): Buffer {
    return createHmac('sha256', this.key)
      .update(accountId)
      .update('\u0000')
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
