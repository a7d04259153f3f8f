import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { REQUEST_ID_HEADER } from '../../observability/logger-options';
import { HttpProblemException } from './http-problem.exception';
import { problem, PROBLEM_CONTENT_TYPE, validationProblem } from './problem';
import { toProblemResponse } from './to-problem';

/** How long a connection whose request could not be parsed may stay half-open after the answer. */
const LINGER_AFTER_ANSWER_MS = 5_000;

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a bad header name, headers
 * over the size limit, a request line that is not HTTP, a request that took too long) and emits
 * 'clientError' on the server with only the socket. Fastify's clientErrorHandler: answers with a
 * problem like every other error, with a new X-Request-Id (there is no request to take one from),
 * then closes the connection, whose byte stream cannot be trusted any more.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this connection cannot be followed by another one.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { problem: answer, headers } = toProblemResponse(causeOf(error));
  const body = JSON.stringify(answer);
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    `content-length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${randomUUID()}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
  ];
  // end, not destroy: a reset could discard the answer before the client reads it.
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  (socket as Socket).setTimeout?.(LINGER_AFTER_ANSWER_MS, () => socket.destroy());
}

function causeOf(error: Error & { code?: string }): HttpProblemException {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpProblemException(problem('headers_too_large', 'The request line and headers are larger than this service accepts'));
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return new HttpProblemException(problem('request_timeout', 'The request did not arrive in time'));
    default:
      return new HttpProblemException(validationProblem([{ field: 'request', message: 'is not a valid HTTP/1.1 request (malformed request line, header or framing)' }]));
  }
}
