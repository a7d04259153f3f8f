/**
 * Runs tasks one at a time per key (an account), concurrently across keys, so one process never
 * races itself on a stream: conflicts then only come from other processes.
 * Bounded: a key with `maxQueuedPerKey` tasks waiting refuses more (QueueFullError).
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, { tail: Promise<unknown>; queued: number }>();

  constructor(private readonly maxQueuedPerKey: number) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(key) ?? { tail: Promise.resolve(), queued: 0 };
    if (entry.queued >= this.maxQueuedPerKey) {
      return Promise.reject(new QueueFullError(key, this.maxQueuedPerKey));
    }
    entry.queued += 1;
    const result = entry.tail.then(task, task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    entry.tail = settled;
    this.tails.set(key, entry);
    void settled.then(() => {
      entry.queued -= 1;
      if (entry.queued === 0 && this.tails.get(key) === entry) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and metrics). */
  get activeKeys(): number {
    return this.tails.size;
  }
}

export class QueueFullError extends Error {
  constructor(
    readonly key: string,
    readonly limit: number,
  ) {
    super(`more than ${limit} commands are waiting for ${key}`);
    this.name = 'QueueFullError';
  }
}
