/** A sleep that `wake()` (or `cancel()`) cuts short: idle polling that a nudge or a stop ends at once. */
export class WakeableSleep {
  private pending: Array<() => void> = [];
  private cancelled = false;

  sleep(ms: number): Promise<void> {
    if (this.cancelled || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending = this.pending.filter((entry) => entry !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.push(done);
    });
  }

  /** Ends every sleep in progress now. */
  wake(): void {
    for (const done of [...this.pending]) done();
  }

  /** Ends every sleep now and makes later ones return at once. */
  cancel(): void {
    this.cancelled = true;
    this.wake();
  }
}
