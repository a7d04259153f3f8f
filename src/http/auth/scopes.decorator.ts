import { SetMetadata } from '@nestjs/common';
import type { ApiScope } from '../../config/app-config';

export const REQUIRED_SCOPE = 'ledger:required-scope';
export const PUBLIC_ROUTE = 'ledger:public-route';

/** The route needs an API key holding this scope (or `admin`). */
export const RequireScope = (scope: ApiScope) => SetMetadata(REQUIRED_SCOPE, scope);

/** No API key: docs, health, metrics, and the Stripe webhook (authenticated by its signature). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
