import type { FastBodyCheck } from '../../../http/validation/fast-body-check';
import {
  copyPlainOperationRequest,
  hasOnlyKeys,
  isCommandCredits,
  isPlainObject,
  isShortString,
} from './plain-values';
import { MAX_DESCRIPTION, MAX_REFERENCE, SpendRequest } from './requests';

const PLAIN_SPEND_KEYS = ['credits', 'description', 'reference'];
const SPEND_BY_OPERATION_KEYS = ['operation', 'quantity', 'dimensions', 'description', 'reference'];

/**
 * The common spend bodies without class-validator, which took about 10 % of the server's CPU per
 * spend (docs/performance.md): `{ credits, description, reference? }` and, so that a priced spend
 * costs about what a plain one does, `{ operation, quantity?, dimensions?, description?,
 * reference? }`, every value plainly valid. Anything else (metadata, a quoteId, a null, an unknown
 * key, a long string, a NUL or an unpaired surrogate) returns null and takes the full validation,
 * so every error still comes from the validation pipe and SpendRequest.
 */
export const checkSpendRequest: FastBodyCheck<SpendRequest> = (body) => {
  if (!isPlainObject(body)) return null;
  return Object.hasOwn(body, 'credits') ? checkPlainSpend(body) : checkSpendByOperation(body);
};

function checkPlainSpend(body: Record<string, unknown>): SpendRequest | null {
  if (!hasOnlyKeys(body, PLAIN_SPEND_KEYS)) return null;
  const { credits, description, reference } = body;
  if (!isCommandCredits(credits)) return null;
  // String lengths in UTF-16 units: never fewer than the characters MaxLength counts, so a string
  // accepted here is also accepted there (an emoji-heavy one near the limit takes the full path).
  if (!isShortString(description, MAX_DESCRIPTION)) return null;
  const hasReference = Object.hasOwn(body, 'reference');
  if (hasReference && !isShortString(reference, MAX_REFERENCE)) return null;
  // The same object class-transformer would build: a SpendRequest holding exactly these values.
  const request = new SpendRequest();
  request.credits = credits;
  request.description = description as string;
  if (hasReference) request.reference = reference as string;
  return request;
}

function checkSpendByOperation(body: Record<string, unknown>): SpendRequest | null {
  if (!hasOnlyKeys(body, SPEND_BY_OPERATION_KEYS)) return null;
  const { description, reference } = body;
  const request = new SpendRequest();
  if (!copyPlainOperationRequest(body, request)) return null;
  if (Object.hasOwn(body, 'description')) {
    if (!isShortString(description, MAX_DESCRIPTION)) return null;
    request.description = description as string;
  }
  if (Object.hasOwn(body, 'reference')) {
    if (!isShortString(reference, MAX_REFERENCE)) return null;
    request.reference = reference as string;
  }
  return request;
}
