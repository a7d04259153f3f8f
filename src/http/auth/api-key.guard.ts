import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../../config/app-config';
import { HttpProblemException } from '../errors/http-problem.exception';
import { problem } from '../errors/problem';
import { hasScope } from './api-key-authenticator';
import { MISSING_API_KEY_DETAIL } from './authentication.hook';
import { REQUIRED_SCOPE } from './scopes.decorator';

export type AuthenticatedRequest = FastifyRequest;

/**
 * Scopes per @RequireScope. Who the caller is was settled before the body was read, by the
 * authentication hook (src/http/auth/authentication.hook.ts), which also enforces default deny.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /**
   * Decorators are fixed once the app is built: read once per controller class and handler (a
   * handler inherited by two controllers may carry different class-level rules), not per request.
   */
  private readonly scopes = new WeakMap<object, WeakMap<object, ApiScope | null>>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.scopeFor(context);
    if (scope === null) return true;
    const { principal } = context.switchToHttp().getRequest<FastifyRequest>();
    // Unreachable unless a route needing a scope was also flagged public: refuse rather than serve.
    if (!principal) throw new HttpProblemException(problem('unauthorized', MISSING_API_KEY_DETAIL));
    if (!hasScope(principal, scope)) {
      throw new HttpProblemException(
        problem('forbidden', `This API key lacks the "${scope}" scope`),
      );
    }
    return true;
  }

  private scopeFor(context: ExecutionContext): ApiScope | null {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofController = this.scopes.get(controller);
    if (!ofController) this.scopes.set(controller, (ofController = new WeakMap()));
    let scope = ofController.get(handler);
    if (scope === undefined) {
      scope =
        this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, [
          handler,
          controller,
        ]) ?? null;
      ofController.set(handler, scope);
    }
    return scope;
  }
}
