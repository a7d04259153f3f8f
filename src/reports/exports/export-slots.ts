import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { TooManyExportsError } from '../errors';

/**
 * The limit on CSV exports this process streams at once (REPORTS_MAX_CONCURRENT_EXPORTS): each
 * holds a database connection for as long as its client reads, so a few slow downloads must not
 * take the pool from the API. One more is refused at once (503, Retry-After), never queued.
 */
@Injectable()
export class ExportSlots {
  private inUse = 0;

  constructor(private readonly config: AppConfig) {}

  get running(): number {
    return this.inUse;
  }

  /** Takes a slot; the function returned gives it back (once, however often it is called). */
  take(): () => void {
    const limit = this.config.reportsMaxConcurrentExports;
    if (this.inUse >= limit) throw new TooManyExportsError(limit);
    this.inUse++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.inUse--;
    };
  }
}
