import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { ApiScope } from '../../config/app-config';
import { HttpProblemException } from '../errors/http-problem.exception';
import { problem } from '../errors/problem';
import { ApiKeyAuthenticator, OPEN_MODE_PRINCIPAL, hasScope, type Principal } from './api-key-authenticator';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from './scopes.decorator';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Default deny: every route needs a valid key unless marked @Public(); scopes per @RequireScope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticator.isOpen ? OPEN_MODE_PRINCIPAL : this.authenticate(request);
    const scope = this.reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, targets);
    if (scope && !hasScope(principal, scope)) {
      throw new HttpProblemException(problem('forbidden', `This API key lacks the "${scope}" scope`));
    }
    request.principal = principal;
    return true;
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
