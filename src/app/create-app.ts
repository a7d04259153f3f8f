import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { maxHeaderSize } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import {
  REQUEST_ID_HEADER,
  requestIdFor,
  writesRequestLogs,
} from '../observability/logger-options';
import { installRequestLog } from '../observability/request-log';
import { servesApi, type ProcessRole } from '../config/app-config';
import { ApiKeyAuthenticator } from '../http/auth/api-key-authenticator';
import { authenticationHook } from '../http/auth/authentication.hook';
import { CustomerTokens } from '../http/auth/customer-tokens';
import {
  answerClientError,
  answerConnect,
  answerUnmetExpectation,
} from '../http/errors/client-error';
import { HttpProblemException } from '../http/errors/http-problem.exception';
import { problem } from '../http/errors/problem';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { sendProblem } from '../http/errors/problem-details.filter';
import { missingRetryAfter } from '../http/errors/problem-response';
import { handleUnreadBody } from '../http/errors/unread-body';
import { RateLimits } from '../http/rate-limits/rate-limits';
import type { RouteFlags } from '../http/route-flags';
import { serveConsole } from '../console/serve-console';
import { serveWidgets } from '../widgets-config/serve-widgets';
import { AppModule, type AppModuleOptions } from './app.module';
import { installHttpDrain } from './http-drain';
import { buildOpenApiDocument } from './openapi-document';

const DOCS_PATH = 'docs';
const httpLogger = new NestLogger('HTTP');

/** Builds the HTTP application (used by main.ts and by the end-to-end tests). */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  // The router's refusals are answered with the application's catalog once there is one; none
  // can arrive before (the server does not listen yet), the kernel's own would do anyway.
  let problems = new ProblemCatalog();
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.bodyLimitBytes,
    // As long as the longest request line Node accepts: the router then never refuses a long path
    // segment itself (a bare 414 echoing the URL); the id pipes answer 400 naming the parameter.
    routerOptions: { maxParamLength: maxHeaderSize },
    genReqId: (request: IncomingMessage) => {
      const id = requestIdFor(request);
      (request as typeof request & { id?: string }).id = id;
      return id;
    },
    // Reject prototype-pollution keys in JSON bodies outright.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // While stopping, requests on open connections get our 503 with Retry-After (http-drain.ts).
    return503OnClosing: false,
    // The router's refusals (bad percent-encoding) and Node's parser's (bad header, oversized
    // headers, not HTTP) are answered as problems too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(problems, error, request, reply, httpLogger),
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      // Keeps the exact bytes of JSON bodies as request.rawBody: the Stripe webhook verifies its
      // signature on them (src/payments/stripe-webhook.controller.ts). Parsing is unchanged.
      rawBody: true,
    },
  );
  app.useLogger(app.get(Logger));
  problems = app.get(ProblemCatalog);
  // No enableShutdownHooks(): Nest would stop the projectors before the HTTP server drains, and
  // the embedded PostgreSQL is the process's, not the app's. main.ts runs the shutdown sequence
  // (src/app/shutdown.ts); tests and the benchmark call app.close().
  installHttpDrain(app.getHttpAdapter().getInstance());
  // Below info the lines would be dropped: no hook at all then (not even its cost per request).
  if (writesRequestLogs(options.config.logLevel))
    installRequestLog(app.getHttpAdapter().getInstance(), PinoLogger.root, options.config);
  const rateLimits = app.get(RateLimits);
  await rateLimits.install(app.getHttpAdapter().getInstance());
  configureHttp(
    app,
    options.config.role,
    app.get(ApiKeyAuthenticator),
    app.get(CustomerTokens),
    rateLimits,
  );
  if (options.config.widgetAllowedOrigins.length > 0) {
    allowWidgetOrigins(app, options.config.widgetAllowedOrigins);
  }
  // After configureHttp: its onRoute hook reads the routes' public flag.
  await serveWidgets(app.getHttpAdapter().getInstance());
  await serveConsole(app.getHttpAdapter().getInstance());
  setUpOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * The hooks a request passes, in this order: role (non-api processes); for an unknown route,
 * authentication then 404; else the route's own: authentication (unless public), content type,
 * the per-key write limit; then the body, and Nest (scopes, validation, the handler). Nest routes
 * Fastify's own errors (bad JSON, body limit) to the global ProblemDetailsFilter.
 */
function configureHttp(
  app: NestFastifyApplication,
  role: ProcessRole,
  authenticator: ApiKeyAuthenticator,
  customerTokens: CustomerTokens,
  rateLimits: RateLimits,
): void {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('principal', null);
  // What Node would otherwise answer itself (a bare 417) or not at all (CONNECT): as problems.
  fastify.server.on('checkExpectation', answerUnmetExpectation);
  fastify.server.on('connect', answerConnect);
  if (!servesApi(role)) {
    // A projector or worker process keeps /health, /metrics and /docs; the API is the api role's.
    fastify.addHook('onRequest', (request, _reply, done) => {
      if (!request.url.startsWith('/v1/')) return done();
      done(
        new HttpProblemException(
          problem(
            'not_found',
            `This process runs the ${role} role; send API requests to an api process`,
          ),
        ),
      );
    });
  }
  // Callback-style hooks: they run on every request, and an async hook costs a promise and a
  // microtask hop each time.
  const authenticate = authenticationHook(authenticator, customerTokens, rateLimits);
  // The live balance stream: EventSource cannot send headers, so a customer token may be in the URL.
  const authenticateWithQueryToken = authenticationHook(authenticator, customerTokens, rateLimits, {
    tokenInQuery: true,
  });
  const refuseNonJson: onRequestHookHandler = (request, _reply, done) => {
    if (hasBody(request.headers) && !isJson(request.headers['content-type'])) {
      done(Object.assign(new Error('unsupported media type'), { statusCode: 415 }));
      return;
    }
    done();
  };
  // An unknown route: default deny too, then 404 before any body is parsed (is404 is a cheap read).
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) {
      done();
      return;
    }
    authenticate(request, reply, (error?: Error) =>
      done(error ?? new HttpProblemException(problem('not_found', 'No such route'))),
    );
  });
  // Per route, decided once when the route is registered rather than looked up on each request
  // (request.routeOptions builds a new object every time it is read). Default deny: every route
  // authenticates unless flagged public.
  fastify.addHook('onRoute', (route) => {
    const flags = (route.config ?? {}) as RouteFlags;
    // Swagger registers its routes on Fastify directly; API.md makes the docs public.
    const isDocs =
      route.url === `/${DOCS_PATH}` ||
      route.url.startsWith(`/${DOCS_PATH}/`) ||
      route.url.startsWith(`/${DOCS_PATH}-`);
    const own = [route.onRequest ?? []].flat();
    const authentication = flags.tokenInQuery ? authenticateWithQueryToken : authenticate;
    route.onRequest = [
      ...(flags.publicRoute || isDocs ? [] : [authentication]),
      refuseNonJson,
      ...own,
    ];
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    handleUnreadBody(request, reply);
    // Problems get theirs where they are built; this catches a 429 or 503 sent any other way.
    const retryAfter = missingRetryAfter(reply.statusCode, reply.hasHeader('retry-after'));
    if (retryAfter !== null) void reply.header('retry-after', retryAfter);
    done(null, payload);
  });
}

/**
 * CORS for the browser widgets (WIDGET_ALLOWED_ORIGINS, exact origins): registered before the routes,
 * its onRequest hook answers a preflight before authentication runs (a preflight carries no
 * Authorization header). No cookies are used, so no credentials mode.
 */
function allowWidgetOrigins(app: NestFastifyApplication, origins: string[]): void {
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
    exposedHeaders: [
      REQUEST_ID_HEADER,
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'ratelimit-policy',
    ],
    maxAge: 600,
  });
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return (
    (headers['content-length'] !== undefined && headers['content-length'] !== '0') ||
    headers['transfer-encoding'] !== undefined
  );
}

function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

function setUpOpenApi(app: NestFastifyApplication): void {
  // A factory: the document (≈ 1 MB of heap) is built on the first request for it, not in every
  // process at start, most of which never serve it.
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
}
