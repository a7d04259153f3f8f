import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, redactUrlSecrets } from '../../observability/logger-options';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { ProblemCatalog } from './problem-catalog';

/** Sends every error as problem details; logs server-side failures with their cause. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly problems: ProblemCatalog) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      this.problems,
      error,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}

export function sendProblem(
  problems: ProblemCatalog,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  const { problem, headers } = problems.responseFor(error);
  if (problem.status >= 500) {
    logger.error(
      { err: error, requestId: request.id, url: redactUrlSecrets(request.url) },
      'request failed',
    );
  }
  for (const [name, value] of Object.entries(headers)) {
    // A Retry-After the thrower set on the reply itself is the better hint; keep it.
    if (name === 'retry-after' && reply.hasHeader(name)) continue;
    void reply.header(name, value);
  }
  if (problem.status === 413) {
    // Fastify asks to close the connection because it stops reading the body; the close would reset
    // it while the client is still sending, and the client would never see this answer. The rest
    // of the body is read and discarded instead, within bounds (src/http/errors/unread-body.ts).
    reply.removeHeader('connection');
  }
  // Also here, not only in the onSend hook: the router's own errors (frameworkErrors) are answered
  // by a reply outside any route.
  void reply.header(REQUEST_ID_HEADER, request.id);
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}
