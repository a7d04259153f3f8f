import type { IncomingMessage } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { sendProblem } from '../http/errors/problem-details.filter';
import { toProblem } from '../http/errors/to-problem';
import { PROBLEM_CONTENT_TYPE } from '../http/errors/problem';
import { REQUEST_ID_HEADER, requestIdFor } from '../observability/logger-options';
import { AppModule, type AppModuleOptions } from './app.module';

/** Builds the HTTP application (used by main.ts and by the end-to-end tests). */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.bodyLimitBytes,
    genReqId: (request: IncomingMessage) => {
      const id = requestIdFor(request);
      (request as typeof request & { id?: string }).id = id;
      return id;
    },
    // Reject prototype-pollution keys in JSON bodies outright.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  configureHttp(app);
  setUpOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Errors raised by Fastify before Nest routes the request (bad JSON, body limit) also become problems. */
function configureHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const logger = new NestLogger('HTTP');
  fastify.setErrorHandler((error, request, reply) => sendProblem(error, request, reply, logger));
  fastify.addHook('onSend', async (request, reply, payload) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    return payload;
  });
  fastify.setNotFoundHandler((request, reply) => {
    void reply.status(404).header('content-type', PROBLEM_CONTENT_TYPE).send(toProblem({ statusCode: 404 }));
  });
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
