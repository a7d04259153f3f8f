import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '../config/load-config';
import type { Database } from '../database/database';
import { AppModule } from './app.module';

/** The OpenAPI document of an application's routes, served at /docs-json (API.md "Operations"). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Credits ledger')
      .setDescription(
        'Event-sourced credits: balances, spends, refunds, grants, purchases and holds. Errors are RFC 9457 problem details.',
      )
      .setVersion('1')
      // Not addBearerAuth: it labels the token a JWT (bearerFormat). The name stays `bearer`, which
      // @ApiBearerAuth() on the controllers refers to.
      .addSecurity('bearer', {
        type: 'http',
        scheme: 'bearer',
        description:
          'An API key (LEDGER_API_KEYS: name:secret:scopes), sent as "Authorization: Bearer <secret>". An opaque secret with nothing to decode. ' +
          'The routes a browser widget needs also take a customer token (POST /v1/accounts/{accountId}/customer-tokens) the same way.',
      })
      .build(),
  );
}

/**
 * The same document without a server, a database or any provider: Nest's preview mode builds the
 * module graph and the routes' metadata only. Used by `npm run generate:client`
 * (scripts/generate-client.js) and by the test that fails when the committed client drifts
 * (test/api-client/). A fixed configuration, so the environment never changes the document.
 */
export async function openApiDocumentWithoutServer(): Promise<OpenAPIObject> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(
    // Never opened in preview mode: providers are not instantiated.
    AppModule.register({ config, database: null as unknown as Database }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
