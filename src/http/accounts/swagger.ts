import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiResponse } from '@nestjs/swagger';

export const ACCOUNT_ID_PARAM = ApiParam({
  name: 'accountId',
  description: '1–128 characters of A–Z a–z 0–9 . _ : @ -',
  example: 'org:acme',
});

const PROBLEM = { description: 'Problem details (application/problem+json)' };

/** The documentation every account route shares. */
export function AccountRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ACCOUNT_ID_PARAM,
    ApiResponse({ status: 400, ...PROBLEM }),
    ApiResponse({ status: 401, ...PROBLEM }),
    ApiResponse({ status: 403, ...PROBLEM }),
  );
}

/** Write routes also take an Idempotency-Key and may conflict. */
export function WriteRoute(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 printable characters; a repeat returns the first answer' }),
    ApiResponse({ status: 409, ...PROBLEM }),
    ApiResponse({ status: 413, ...PROBLEM }),
  );
}
