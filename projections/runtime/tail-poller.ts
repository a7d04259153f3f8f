import { WakeableSleep } from './wake-sleep';

interface Waiter {
  /** A look must start by then (the reader's waitMs after it asked). */
  dueAt: number;
  /** A look started after it asked has found nothing: it only waits out its time now. */
  looked: boolean;
  maxCount: number;
  timer: NodeJS.Timeout | null;
  finish(appended: boolean): void;
  fail(error: unknown): void;
}

/**
 * The polls of the readers waiting at the head of the log, shared. Each reader that may wait
 * `waitMs` gets at least one look started after it asked and no later than `waitMs` after: the
 * loop polls at the earliest such deadline, and that one read serves every reader waiting then.
 * So with nothing new there is one poll per idle interval for the process, not one per projector
 * (a lone source looks at once and again after waitMs: readers waiting 0 still get that at once).
 * `wake()` polls now and ends the waits with what it finds (at once for the next reader if no one waits).
 */
export class TailPoller {
  private readonly waiters = new Set<Waiter>();
  private running: Promise<void> | null = null;
  private readonly sleep = new WakeableSleep();
  /** When the loop's sleep ends (0: not sleeping): a reader due earlier cuts it short. */
  private sleepingUntil = 0;
  private woken = false;
  private closed = false;

  /** `read` reads the next batch and answers whether it brought anything. */
  constructor(private readonly read: (maxCount: number) => Promise<boolean>) {}

  /** True once a read brought something; false once a look after this call found nothing and waitMs passed. */
  next(maxCount: number, waitMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = {
        dueAt: Date.now() + waitMs,
        looked: false,
        maxCount,
        timer: null,
        finish: (appended) => {
          if (!this.waiters.delete(waiter)) return;
          if (waiter.timer) clearTimeout(waiter.timer);
          resolve(appended);
        },
        fail: (error) => {
          if (!this.waiters.delete(waiter)) return;
          if (waiter.timer) clearTimeout(waiter.timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      };
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  wake(): void {
    this.woken = true;
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sleep.cancel();
    for (const waiter of [...this.waiters]) waiter.finish(false);
    await this.running;
  }

  private schedule(): void {
    if (this.closed) return;
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
        // A reader may have come between the loop's last look at its list and its end.
        if (this.due() !== Infinity) this.schedule();
      });
      return;
    }
    if (this.sleepingUntil > 0 && this.due() < this.sleepingUntil) this.sleep.wake();
  }

  /** When the next poll is due (Infinity: no one needs one). */
  private due(): number {
    if (this.waiters.size === 0) return Infinity;
    if (this.woken) return 0;
    let due = Infinity;
    for (const waiter of this.waiters) if (!waiter.looked) due = Math.min(due, waiter.dueAt);
    return due;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const due = this.due();
      if (due === Infinity) return;
      const wait = due - Date.now();
      if (wait > 0) {
        this.sleepingUntil = due;
        await this.sleep.sleep(wait);
        this.sleepingUntil = 0;
        continue;
      }
      await this.poll();
    }
  }

  private async poll(): Promise<void> {
    // Woken: this look ends the waits in progress, as wake() does for a lone source (a stop, a `?after=`).
    const woken = this.woken;
    this.woken = false;
    const looking = [...this.waiters];
    let appended: boolean;
    try {
      appended = await this.read(Math.max(...looking.map((waiter) => waiter.maxCount)));
    } catch (error) {
      for (const waiter of looking) waiter.fail(error);
      return;
    }
    if (appended) {
      // Readers that came during the read wait at the same head: it serves them too.
      for (const waiter of [...this.waiters]) waiter.finish(true);
      return;
    }
    const now = Date.now();
    for (const waiter of looking) {
      if (!this.waiters.has(waiter)) continue;
      waiter.looked = true;
      if (woken || now >= waiter.dueAt) waiter.finish(false);
      else waiter.timer ??= setTimeout(() => waiter.finish(false), waiter.dueAt - now);
    }
  }
}
