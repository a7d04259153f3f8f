import type { FastifyInstance } from 'fastify';
import { builtPagesDir, serveBuiltPages } from '../http/built-pages';

/** Where the console is served (UI.md "The console"). */
export const CONSOLE_PATH = '/console/';

/**
 * The operators' and finance console, built by `npm run build:web` into dist/web/console (the
 * `console` mode of web/vite.config.ts). Public page: it holds no secret, the API key is typed
 * into it and kept in the tab's memory; every call it makes is authenticated like any client's.
 */
export async function serveConsole(
  fastify: FastifyInstance,
  root = builtPagesDir('console'),
): Promise<void> {
  await serveBuiltPages(fastify, CONSOLE_PATH, root, 'console');
}
