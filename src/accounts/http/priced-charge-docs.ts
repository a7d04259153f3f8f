import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** What a spend or hold by operation or by quote can answer besides a plain one (API.md "Prices"). */
export const PRICED_CHARGE_RESPONSES = applyDecorators(
  ApiResponse({
    status: 404,
    description:
      'operation_not_found: no such operation on the current rate card; not_found: no such quote on this account',
  }),
  ApiResponse({
    status: 409,
    description:
      'quote_expired (past its expiresAt) or quote_used (a quote pays once); idempotency_key_reused; ' +
      'concurrency_conflict after COMMAND_MAX_ATTEMPTS lost races',
  }),
);
