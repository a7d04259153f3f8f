import type { FastifyInstance } from 'fastify';
import { builtPagesDir, serveBuiltPages } from '../http/built-pages';

/** Where the demo shell is served: UI.md `/app/?account=<id>&token=<customer token>`. */
export const WIDGETS_PATH = '/app/';

/**
 * The demo shell and the widgets' bundles, built by `npm run build:web` into dist/web/app, served
 * at /app/. Public: the customer token comes in the page's URL.
 */
export async function serveWidgets(
  fastify: FastifyInstance,
  root = builtWidgetsDir(),
): Promise<void> {
  await serveBuiltPages(fastify, WIDGETS_PATH, root, 'widgets demo');
}

/** dist/web/app under the package root. */
export function builtWidgetsDir(): string {
  return builtPagesDir('app');
}
