/**
 * The state's maps are plain objects (they must survive JSON snapshots and structuredClone), keyed
 * by strings callers choose: idempotency keys, spend ids, provider refs. A key such as
 * "constructor" or "__proto__" must behave like any other, so every access goes through these
 * instead of `map[key]`, which would see Object.prototype (a map read back from a snapshot or a
 * clone has it; one written in this process has no prototype, see putInState).
 */
export function lookup<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function put<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    // Plain assignment would replace the object's prototype instead of storing an entry.
    Object.defineProperty(map, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    map[key] = value;
  }
}

export function remove<T>(map: Record<string, T>, key: string): void {
  if (Object.hasOwn(map, key)) delete map[key];
}
