import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblemException } from '../http/errors/http-problem.exception';
import { problem } from '../http/errors/problem';
import type { RouteFlags } from '../http/route-flags';

/** Where the demo shell is served: UI.md `/app/?account=<id>&token=<customer token>`. */
export const WIDGETS_PATH = '/app/';
/** Vite names these by content hash: they never change under the same name. */
const HASHED_ASSETS = 'assets/';
const PUBLIC = { config: { publicRoute: true } as RouteFlags & FastifyContextConfig };

/**
 * The demo shell and the widgets' bundles, built by `npm run build:web` into dist/web/app, served
 * at /app/. Public like /docs: the page holds no secret; the customer token comes in its URL. Our
 * own routes (not @fastify/static's) so that they carry the public flag the auth hook reads.
 */
export async function serveWidgets(
  fastify: FastifyInstance,
  root = builtWidgetsDir(),
): Promise<void> {
  await fastify.register(fastifyStatic, { root, serve: false });
  fastify.get(WIDGETS_PATH.slice(0, -1), PUBLIC, (_request, reply) => reply.redirect(WIDGETS_PATH));
  fastify.get(`${WIDGETS_PATH}*`, PUBLIC, (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(join(root, 'index.html')))
      throw new HttpProblemException(
        problem(
          'not_found',
          'The widgets are not built: run `npm run build` (or `npm run build:web`)',
        ),
      );
    const file = (request.params as { '*': string })['*'];
    // Only plain paths inside the build: a `..` (percent-encoded or not) is a 404 like any miss.
    if (file.split('/').some((segment) => segment === '..') || /[\\\0]/.test(file))
      throw new HttpProblemException(problem('not_found', 'No such file'));
    if (file === '' || file === 'index.html')
      return reply.sendFile('index.html', { cacheControl: true, maxAge: 0 });
    return file.startsWith(HASHED_ASSETS)
      ? reply.sendFile(file, { immutable: true, maxAge: '365d' })
      : reply.sendFile(file, { maxAge: 0 });
  });
}

/** dist/web/app under the package root, found from this file in src/ (tests) or dist/src/ (start). */
export function builtWidgetsDir(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder)
    folder = dirname(folder);
  return join(folder, 'dist', 'web', 'app');
}
