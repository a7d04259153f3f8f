import { HttpException } from '@nestjs/common';
import { problem, validationProblem, type Problem } from './problem';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  status?: number;
}

/** Errors raised by Fastify (body parsing, limits) or Nest (routing) before our code runs. */
export function frameworkProblem(error: unknown): Problem | null {
  const candidate = error as FrameworkError | null;
  if (!candidate || typeof candidate !== 'object') return null;
  switch (candidate.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload_too_large', 'The request body is larger than this service accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('unsupported_media_type', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return validationProblem([{ field: 'body', message: 'a JSON body is required' }]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return validationProblem(
        [{ field: 'body', message: 'is not valid JSON' }],
        'The request body is not valid JSON',
      );
    // The router's own refusals (src/app/create-app.ts frameworkErrors). The URL is never echoed.
    case 'FST_ERR_BAD_URL':
      return validationProblem([
        { field: 'path', message: 'is not a valid URL path (bad percent-encoding)' },
      ]);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return validationProblem([
        { field: 'path', message: 'has a segment too long for any route' },
      ]);
  }
  if (error instanceof SyntaxError && candidate.statusCode === 400) {
    return validationProblem(
      [{ field: 'body', message: 'is not valid JSON' }],
      'The request body is not valid JSON',
    );
  }
  const status = error instanceof HttpException ? error.getStatus() : (candidate.statusCode ?? 0);
  switch (status) {
    case 400:
      return validationProblem([{ field: 'body', message: 'is not a valid request' }]);
    case 404:
      return problem('not_found', 'No such route');
    case 405:
      return problem('method_not_allowed', 'This method is not allowed on this route');
    case 408:
      return problem('request_timeout', 'The request did not arrive in time');
    case 413:
      return problem('payload_too_large', 'The request body is larger than this service accepts');
    case 415:
      return problem('unsupported_media_type', 'Send the body as application/json');
    case 429:
      return problem('rate_limited', 'Too many requests; retry later');
    case 431:
      return problem(
        'headers_too_large',
        'The request headers are larger than this service accepts',
      );
    default:
      return null;
  }
}
