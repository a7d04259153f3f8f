import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { REQUEST_ID_HEADER, requestIdFor } from '../observability/logger-options';
import type { ProcessRole } from '../config/app-config';
import { HttpProblemException } from '../http/errors/http-problem.exception';
import { problem } from '../http/errors/problem';
import { AppModule, type AppModuleOptions } from './app.module';
import { installHttpDrain } from './http-drain';

/** Builds the HTTP application (used by main.ts and by the end-to-end tests). */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.bodyLimitBytes,
    // Account ids are up to 128 characters, percent-encoded up to three times longer; the id pipe
    // then answers 400 for anything over 128 instead of Fastify's bare 414.
    routerOptions: { maxParamLength: 512 },
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
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(options), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Keeps the exact bytes of JSON bodies as request.rawBody: the Stripe webhook verifies its
    // signature on them (src/stripe/stripe-webhook.controller.ts). Parsing is unchanged.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // No enableShutdownHooks(): Nest would stop the projectors before the HTTP server drains, and
  // the embedded PostgreSQL is the process's, not the app's. main.ts runs the shutdown sequence
  // (src/app/shutdown.ts); tests and the benchmark call app.close().
  installHttpDrain(app.getHttpAdapter().getInstance());
  configureHttp(app, options.config.role);
  setUpOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * Nest routes Fastify's own errors (bad JSON, body limit) and unknown routes to the global
 * ProblemDetailsFilter; a body that is not JSON is refused here, before parsing.
 */
function configureHttp(app: NestFastifyApplication, role: ProcessRole): void {
  const fastify = app.getHttpAdapter().getInstance();
  if (!servesApi(role)) {
    // A projector or worker process keeps /health, /metrics and /docs; the API is the api role's.
    fastify.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/v1/')) throw new HttpProblemException(problem('not_found', `This process runs the ${role} role; send API requests to an api process`));
    });
  }
  // Callback-style hooks: they run on every request, and an async hook costs a promise and a
  // microtask hop each time.
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (hasBody(request.headers) && !isJson(request.headers['content-type'])) {
      done(Object.assign(new Error('unsupported media type'), { statusCode: 415 }));
      return;
    }
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done(null, payload);
  });
}

export function servesApi(role: ProcessRole): boolean {
  return role === 'all' || role === 'api';
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
}

function isJson(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Credits ledger')
    .setDescription('Event-sourced credits: balances, spends, refunds, grants, purchases and holds. Errors are RFC 9457 problem details.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from LEDGER_API_KEYS' })
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
