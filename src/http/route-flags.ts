import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/**
 * Facts about a route that Fastify's own hooks need before Nest sees the request: whether it is
 * public (authentication runs in an onRequest hook, before the body is read) and whether it is a
 * write (the per-key rate limit). Nest hands a handler's Fastify route config to Fastify when it
 * registers the route, so they travel as that config, and an onRoute hook gives each route its
 * hooks accordingly (src/app/create-app.ts, src/http/rate-limits/rate-limits.ts).
 */
export interface RouteFlags {
  /** No API key: docs, health, metrics, the Stripe webhook (API.md "Conventions"). */
  publicRoute?: true;
  /** Counts against RATE_LIMIT_WRITES_PER_SECOND_PER_KEY. */
  write?: true;
  /** A customer token may come as `?token=` (the live balance stream: EventSource sends no headers). */
  tokenInQuery?: true;
}

/**
 * Sets flags on a handler, or on every handler of a controller. Merges with the config already
 * there, so several flags (and @RouteConfig values) can be combined in any order.
 */
export function RouteFlag(flags: RouteFlags): ClassDecorator & MethodDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      mergeRouteConfig(descriptor.value as object, flags);
      return descriptor;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const member = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof member === 'function') mergeRouteConfig(member, flags);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}

function mergeRouteConfig(handler: object, flags: RouteFlags): void {
  const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<
    string,
    unknown
  >;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...existing, ...flags }, handler);
}
