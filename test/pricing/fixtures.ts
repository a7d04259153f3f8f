import type { Operation } from '../../src/pricing/rate-card/rate-card';

/** A valid operation; `overrides` replace whole fields (pricing included). */
export function operation(
  operationId: string,
  overrides: Partial<Operation> & Record<string, unknown> = {},
): Operation {
  return {
    operationId,
    name: `Operation ${operationId}`,
    unit: 'call',
    pricing: { base: 0, perUnit: 5, unitSize: 1, minimum: 0 },
    ...overrides,
  };
}

/** As it arrives over HTTP: a JSON round trip (no undefined, no shared objects). */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
