import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblemException } from './errors/http-problem.exception';
import { problem } from './errors/problem';
import type { RouteFlags } from './route-flags';

/** Vite names these by content hash: they never change under the same name. */
const HASHED_ASSETS = 'assets/';
const PUBLIC = { config: { publicRoute: true } as RouteFlags & FastifyContextConfig };

/**
 * One page built by `npm run build:web` (dist/web/<name>), served under `path` (e.g. `/app/`).
 * Public like /docs: the pages hold no secret (a token or key is typed or passed at run time).
 * Our own routes (not @fastify/static's) so that they carry the public flag the auth hook reads;
 * @fastify/static is registered once, only for its sendFile, and every call names its root.
 */
export async function serveBuiltPages(
  fastify: FastifyInstance,
  path: `/${string}/`,
  root: string,
  what: string,
): Promise<void> {
  if (!fastify.hasReplyDecorator('sendFile'))
    await fastify.register(fastifyStatic, { root, serve: false });
  fastify.get(path.slice(0, -1), PUBLIC, (_request, reply) => reply.redirect(path));
  fastify.get(`${path}*`, PUBLIC, (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(join(root, 'index.html')))
      throw new HttpProblemException(
        problem(
          'not_found',
          `The ${what} is not built: run \`npm run build\` (or \`npm run build:web\`)`,
        ),
      );
    const file = (request.params as { '*': string })['*'];
    // Only plain paths inside the build: a `..` (percent-encoded or not) is a 404 like any miss.
    if (file.split('/').some((segment) => segment === '..') || /[\\\0]/.test(file))
      throw new HttpProblemException(problem('not_found', 'No such file'));
    if (file === '' || file === 'index.html')
      return reply.sendFile('index.html', root, { cacheControl: true, maxAge: 0 });
    return file.startsWith(HASHED_ASSETS)
      ? reply.sendFile(file, root, { immutable: true, maxAge: '365d' })
      : reply.sendFile(file, root, { maxAge: 0 });
  });
}

/** dist/web/<name> under the package root, found from this file in src/ (tests) or dist/src/ (start). */
export function builtPagesDir(name: string): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder)
    folder = dirname(folder);
  return join(folder, 'dist', 'web', name);
}
