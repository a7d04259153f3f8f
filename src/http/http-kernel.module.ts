import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { Clock } from '../shared/clock';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { ApiKeyGuard } from './auth/api-key.guard';
import { CustomerTokens } from './auth/customer-tokens';
import { ProblemCatalog } from './errors/problem-catalog';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { RateLimits } from './rate-limits/rate-limits';
import { FastBodyChecks } from './validation/fast-body-checks';
import { createValidationPipe } from './validation/validation.pipe';

/**
 * What every request passes, whatever the feature: API keys and scopes, customer tokens, rate limits, validation,
 * and errors as problem details. Global, so that feature modules register their errors
 * (ProblemCatalog) and fast body checks (FastBodyChecks) and use the per-account limit guard.
 */
@Global()
@Module({
  providers: [
    {
      provide: ApiKeyAuthenticator,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new ApiKeyAuthenticator(config.apiKeys),
    },
    {
      provide: CustomerTokens,
      inject: [AppConfig, Clock],
      useFactory: (config: AppConfig, clock: Clock) => CustomerTokens.fromConfig(config, clock),
    },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    // Installed on Fastify by createApp before the routes (src/http/rate-limits/rate-limits.ts).
    RateLimits,
    ProblemCatalog,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    FastBodyChecks,
    {
      provide: APP_PIPE,
      inject: [FastBodyChecks],
      useFactory: (checks: FastBodyChecks) => createValidationPipe(checks.lookup),
    },
  ],
  exports: [ApiKeyAuthenticator, CustomerTokens, RateLimits, ProblemCatalog, FastBodyChecks],
})
export class HttpKernelModule {}
