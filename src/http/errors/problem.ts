/**
 * RFC 9457 problem details, the only error body this service sends (API.md "Conventions").
 * `code` is the stable, machine-readable part.
 */
export type ProblemCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'insufficient_credits'
  | 'idempotency_key_reused'
  | 'concurrency_conflict'
  | 'reservation_expired'
  | 'reservation_closed'
  | 'purchase_conflict'
  | 'spend_fully_refunded'
  | 'operation_not_found'
  | 'quote_expired'
  | 'quote_used'
  | 'minimum_available'
  | 'credit_pack_exists'
  | 'url_not_allowed'
  | 'not_a_member'
  | 'member_limit_exceeded'
  | 'too_many_members'
  | 'gift_code_not_found'
  | 'gift_code_redeemed'
  | 'gift_code_expired'
  | 'referral_exists'
  | 'account_closed'
  | 'plan_exists'
  | 'no_payment_method'
  | 'account_not_found'
  | 'stream_too_long'
  | 'verify_too_large'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'expectation_failed'
  | 'headers_too_large'
  | 'rate_limited'
  | 'payment_provider_error'
  | 'unavailable'
  | 'internal_error';

export interface FieldError {
  /** The field's path in the request: `credits`, `amountPaid`, `accountId`, `Idempotency-Key`. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<ProblemCode, { status: number; title: string }> = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed for this API key' },
  not_found: { status: 404, title: 'Not found' },
  insufficient_credits: { status: 402, title: 'Not enough credits' },
  idempotency_key_reused: { status: 409, title: 'Idempotency key reused with a different request' },
  concurrency_conflict: { status: 409, title: 'Concurrent updates kept conflicting' },
  reservation_expired: { status: 409, title: 'The reservation has expired' },
  reservation_closed: { status: 409, title: 'The reservation is already closed' },
  purchase_conflict: {
    status: 409,
    title: 'The payment reference is already recorded for another purchase',
  },
  spend_fully_refunded: { status: 409, title: 'The spend is already fully refunded' },
  operation_not_found: { status: 404, title: 'No such operation on the rate card' },
  quote_expired: { status: 409, title: 'The quote has expired' },
  quote_used: { status: 409, title: 'The quote was already used' },
  minimum_available: { status: 402, title: 'The operation needs more credits available to start' },
  credit_pack_exists: { status: 409, title: 'A credit pack with this packId already exists' },
  url_not_allowed: {
    status: 400,
    title: 'The URL is not allowed (not http(s), or a loopback, private or link-local address)',
  },
  not_a_member: { status: 403, title: 'Not a member of this organization pool' },
  member_limit_exceeded: { status: 402, title: "The spend would exceed the member's limit" },
  too_many_members: { status: 409, title: 'The organization pool has as many members as it may' },
  gift_code_not_found: { status: 404, title: 'No such gift code' },
  gift_code_redeemed: { status: 409, title: 'The gift code was already redeemed' },
  gift_code_expired: { status: 410, title: 'The gift code has expired' },
  referral_exists: { status: 409, title: 'The referee already has a referral' },
  account_closed: { status: 409, title: 'The account is closed' },
  plan_exists: { status: 409, title: 'A plan with this planId already exists' },
  no_payment_method: { status: 409, title: 'No payment method is saved for auto top-up' },
  account_not_found: { status: 404, title: 'No such account' },
  stream_too_long: {
    status: 422,
    title: 'The stream is too long to audit over HTTP; use the ledger CLI',
  },
  verify_too_large: {
    status: 422,
    title: 'Too many accounts to verify over HTTP; use the ledger CLI',
  },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'The request took too long to arrive' },
  expectation_failed: { status: 417, title: 'The expectation cannot be met' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  rate_limited: { status: 429, title: 'Too many requests' },
  payment_provider_error: { status: 502, title: 'The payment provider refused or failed' },
  unavailable: { status: 503, title: 'Temporarily unavailable' },
  internal_error: { status: 500, title: 'Internal error' },
};

export function problem(
  code: ProblemCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  const { status, title } = TITLES[code];
  return { type: `urn:problem:credits-ledger:${code}`, title, status, detail, code, ...extensions };
}

export function validationProblem(errors: FieldError[], detail?: string): Problem {
  return problem(
    'validation_failed',
    detail ?? errors.map((error) => `${error.field}: ${error.message}`).join('; '),
    { errors },
  );
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
