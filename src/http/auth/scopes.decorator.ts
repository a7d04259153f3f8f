import { SetMetadata } from '@nestjs/common';
import type { ApiScope } from '../../config/app-config';
import { RouteFlag } from '../route-flags';

export const REQUIRED_SCOPE = 'ledger:required-scope';

/**
 * The route needs an API key holding this scope (or `admin`); with several, any one of them (the
 * console's reads: `read`, `finance` or `admin`).
 */
export const RequireScope = (...scopes: [ApiScope, ...ApiScope[]]) =>
  SetMetadata(REQUIRED_SCOPE, scopes);

/**
 * No API key: docs, health, metrics, and the Stripe webhook (authenticated by its signature). On a
 * handler or a whole controller. Travels in the route's Fastify config: src/app/create-app.ts puts
 * the authentication hook on every route without it.
 */
export const Public = (): ClassDecorator & MethodDecorator => RouteFlag({ publicRoute: true });
