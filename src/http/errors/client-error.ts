import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { REQUEST_ID_HEADER, requestIdFor } from '../../observability/logger-options';
import { problem, PROBLEM_CONTENT_TYPE, validationProblem, type Problem } from './problem';
import { problemResponse } from './problem-response';

/** How long a connection whose request could not be parsed may stay half-open after the answer. */
const LINGER_AFTER_ANSWER_MS = 5_000;

/**
 * Node's HTTP server answers some requests itself, before Fastify sees them, unless told
 * otherwise: these handlers answer them as problems like every other error, each with an
 * X-Request-Id (the caller's when there is a request to take it from, else a new one).
 *
 * 'clientError' (Fastify's clientErrorHandler): the parser refused the bytes (a bad header name,
 * headers over the size limit, a request line that is not HTTP, a request that took too long).
 * There is only the socket; the connection is closed after the answer, its byte stream cannot be
 * trusted any more.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this connection cannot be followed by another one.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  endWithProblem(socket, causeOf(error), randomUUID());
}

/** 'connect': a CONNECT request (this is not a proxy). Without a listener Node drops the connection unanswered. */
export function answerConnect(request: IncomingMessage, socket: Duplex): void {
  endWithProblem(
    socket,
    problem('method_not_allowed', 'CONNECT is not supported: this service is not a proxy'),
    requestIdFor(request),
  );
}

/**
 * 'checkExpectation': an Expect header other than 100-continue. Without a listener Node answers a
 * bare 417; RFC 9110 lets the server refuse, and it does, as a problem.
 */
export function answerUnmetExpectation(request: IncomingMessage, response: ServerResponse): void {
  const { problem: answer, headers } = problemResponse(
    problem('expectation_failed', 'Only "Expect: 100-continue" is supported'),
  );
  const body = JSON.stringify(answer);
  response.writeHead(answer.status, {
    ...headers,
    'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    [REQUEST_ID_HEADER]: requestIdFor(request),
    // The body the client held back is not read.
    connection: 'close',
  });
  response.end(body);
}

function endWithProblem(socket: Duplex, cause: Problem, requestId: string): void {
  const { problem: answer, headers } = problemResponse(cause);
  const body = JSON.stringify(answer);
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    `content-length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${requestId}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
  ];
  // end, not destroy: a reset could discard the answer before the client reads it.
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  (socket as Socket).setTimeout?.(LINGER_AFTER_ANSWER_MS, () => socket.destroy());
}

function causeOf(error: Error & { code?: string }): Problem {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(
        'headers_too_large',
        'The request line and headers are larger than this service accepts',
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return problem('request_timeout', 'The request did not arrive in time');
    default:
      return validationProblem([
        {
          field: 'request',
          message: 'is not a valid HTTP/1.1 request (malformed request line, header or framing)',
        },
      ]);
  }
}
