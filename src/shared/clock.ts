/** The one clock. Expiry and holds are decided against it, so tests can move time. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests move by hand. */
export class ManualClock extends Clock {
  private currentMs: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    super();
    this.currentMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  set(instant: Date | string): void {
    this.currentMs = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.currentMs += ms;
  }
}
