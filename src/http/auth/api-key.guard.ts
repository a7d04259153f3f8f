import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../../config/app-config';
import { HttpProblemException } from '../errors/http-problem.exception';
import { problem } from '../errors/problem';
import { hasScope, type Principal } from './api-key-authenticator';
import { MISSING_API_KEY_DETAIL } from './authentication.hook';
import { accountNamedBy, CUSTOMER_ACCESS, type CustomerAccountSource } from './customer-access';
import { REQUIRED_SCOPE } from './scopes.decorator';

export type AuthenticatedRequest = FastifyRequest;

interface RouteRules {
  /** Any one of these (or admin); null: no scope needed. */
  scopes: readonly ApiScope[] | null;
  /** Null: customer tokens are refused here. */
  customer: CustomerAccountSource | null;
}

/**
 * Scopes per @RequireScope, and customer tokens per @AcceptsCustomerToken. Who the caller is was
 * settled before the body was read, by the authentication hook (src/http/auth/authentication.hook.ts),
 * which also enforces default deny. A customer token passes only a route that accepts it, and only
 * for its own account (path parameter or body field, as the route says): anything else is 403.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /**
   * Decorators are fixed once the app is built: read once per controller class and handler (a
   * handler inherited by two controllers may carry different class-level rules), not per request.
   */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rules = this.rulesFor(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { principal } = request;
    if (principal?.customer) return this.allowCustomer(principal, rules.customer, request);
    if (rules.scopes === null) return true;
    // Unreachable unless a route needing a scope was also flagged public: refuse rather than serve.
    if (!principal) throw new HttpProblemException(problem('unauthorized', MISSING_API_KEY_DETAIL));
    if (!rules.scopes.some((scope) => hasScope(principal, scope))) {
      throw new HttpProblemException(
        problem(
          'forbidden',
          `This API key lacks the ${rules.scopes.map((scope) => `"${scope}"`).join(' or ')} scope`,
        ),
      );
    }
    return true;
  }

  private allowCustomer(
    principal: Principal,
    source: CustomerAccountSource | null,
    request: FastifyRequest,
  ): boolean {
    if (source === null) {
      throw new HttpProblemException(
        problem('forbidden', 'A customer token cannot use this route; it needs an API key'),
      );
    }
    if (
      source.from !== 'none' &&
      accountNamedBy(source, request) !== principal.customer!.accountId
    ) {
      throw new HttpProblemException(
        problem('forbidden', 'This customer token is for another account'),
      );
    }
    return true;
  }

  private rulesFor(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofController = this.rules.get(controller);
    if (!ofController) this.rules.set(controller, (ofController = new WeakMap()));
    let rules = ofController.get(handler);
    if (rules === undefined) {
      rules = {
        scopes:
          this.reflector.getAllAndOverride<readonly ApiScope[] | undefined>(REQUIRED_SCOPE, [
            handler,
            controller,
          ]) ?? null,
        customer:
          this.reflector.get<CustomerAccountSource | undefined>(CUSTOMER_ACCESS, handler) ?? null,
      };
      ofController.set(handler, rules);
    }
    return rules;
  }
}
