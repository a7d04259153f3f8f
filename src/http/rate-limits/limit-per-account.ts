import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RateLimits, type AccountPolicy } from './rate-limits';

const ACCOUNT_POLICY = 'ledger:account-rate-policy';

/**
 * Limits a route per account under `policy` (PRODUCT.md §6): checkout creation, gift-code
 * guessing. Not for every write: a busy account must only ever meet the per-key limit.
 */
export function LimitPerAccount(policy: AccountPolicy): MethodDecorator {
  return applyDecorators(
    SetMetadata(ACCOUNT_POLICY, policy),
    UseGuards(LimitPerAccountGuard),
    ApiResponse({
      status: 429,
      description: `rate_limited: too many requests for this account (${policy}); Retry-After and RateLimit-* headers`,
    }),
  );
}

/**
 * Counts the request against its account: the `accountId` path parameter, else the body's
 * `accountId`. A guard, so it runs after authentication and the scope check (a refused caller uses
 * up nobody's allowance) and before anything is written. A request without a usable account id is
 * left to validation, which refuses it.
 */
@Injectable()
export class LimitPerAccountGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.get<AccountPolicy | undefined>(
      ACCOUNT_POLICY,
      context.getHandler(),
    );
    const accountId = accountIdOf(context.switchToHttp().getRequest<FastifyRequest>());
    if (!policy || accountId === null) return true;
    const limited = await this.limits.forAccount(policy, accountId);
    if (limited) throw limited;
    return true;
  }
}

/** Bounded like an account id (1–128 characters), so a junk value cannot make a huge counter key. */
const MAX_ACCOUNT_ID_LENGTH = 128;

function accountIdOf(request: FastifyRequest): string | null {
  const fromPath = (request.params as Record<string, unknown> | undefined)?.accountId;
  const candidate = fromPath ?? (request.body as Record<string, unknown> | undefined)?.accountId;
  return typeof candidate === 'string' &&
    candidate.length > 0 &&
    candidate.length <= MAX_ACCOUNT_ID_LENGTH
    ? candidate
    : null;
}
