import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { QuoteStore } from './quote-store';

/**
 * How long a quote is kept after it expired: paying it in that time is a clear 409 quote_expired;
 * after it, the id is unknown (404). Keeps the table to about a week of quotes.
 */
export const QUOTE_RETENTION_AFTER_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes long-expired quotes once an hour, in the processes that run background work (roles
 * `all` and `worker`, as the expiry worker). Several processes sweeping is harmless: a delete
 * of what is already gone deletes nothing.
 */
@Injectable()
export class QuoteRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QuoteRetention');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly quotes: QuoteStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role !== 'all' && this.config.role !== 'worker') return;
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = null));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** One sweep; never throws (the next one tries again). */
  async sweep(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - QUOTE_RETENTION_AFTER_EXPIRY_MS);
    try {
      const deleted = await this.quotes.deleteExpiredBefore(before);
      if (deleted > 0)
        this.logger.log(`deleted ${deleted} quotes expired before ${before.toISOString()}`);
    } catch (error) {
      this.logger.warn(
        `quote sweep failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
