import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../../config/app-config';
import { HttpProblemException } from '../errors/http-problem.exception';
import { problem } from '../errors/problem';
import { ApiKeyAuthenticator, OPEN_MODE_PRINCIPAL, hasScope, type Principal } from './api-key-authenticator';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './scopes.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

interface RouteRule {
  isPublic: boolean;
  scope: ApiScope | undefined;
}

/** Default deny: every route needs a valid key unless marked @Public(); scopes per @RequireScope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /**
   * Decorators are fixed once the app is built: read once per controller class and handler (a
   * handler inherited by two controllers may carry different class-level rules), not per request.
   */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRule>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const { isPublic, scope } = this.ruleFor(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticator.isOpen ? OPEN_MODE_PRINCIPAL : this.authenticate(request);
    if (scope && !hasScope(principal, scope)) {
      throw new HttpProblemException(problem('forbidden', `This API key lacks the "${scope}" scope`));
    }
    request.principal = principal;
    return true;
  }

  private ruleFor(context: ExecutionContext): RouteRule {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofController = this.rules.get(controller);
    if (!ofController) this.rules.set(controller, (ofController = new WeakMap()));
    let rule = ofController.get(handler);
    if (!rule) {
      const targets = [handler, controller];
      rule = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets)),
        scope: this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, targets),
      };
      ofController.set(handler, rule);
    }
    return rule;
  }

  private authenticate(request: FastifyRequest): Principal {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new HttpProblemException(problem('unauthorized', 'Send an API key as "Authorization: Bearer <key>"'));
    }
    const principal = this.authenticator.authenticate(match[1]);
    if (!principal) throw new HttpProblemException(problem('unauthorized', 'The API key is not valid'));
    return principal;
  }
}
