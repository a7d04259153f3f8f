import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Counter } from 'prom-client';
import { AppConfig, type ProcessRole } from '../config/app-config';
import { DATABASE, type Database } from '../database/database';
import { MetricsRegistry } from '../observability/metrics-registry';
import { Clock } from '../shared/clock';
import { ExpiryWorker, type ExpiryRound } from './expiry-worker';

const EXPIRY_CONCURRENCY = 8;

/** The roles that run the background worker: `all` (npm start) and `worker`. */
export function runsWorker(role: ProcessRole): boolean {
  return role === 'all' || role === 'worker';
}

/** Runs the expiry worker every WORKER_INTERVAL_MS (never two rounds at once) while the app lives. */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ExpiryWorker');
  readonly worker: ExpiryWorker;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly rounds: Counter<'result'>;
  private readonly written: Counter;

  constructor(
    private readonly config: AppConfig,
    @Inject(DATABASE) database: Database,
    commandBus: CommandBus,
    clock: Clock,
    metrics: MetricsRegistry,
  ) {
    this.worker = new ExpiryWorker(database.pool, commandBus, clock, {
      batchSize: config.workerBatchSize,
      concurrency: EXPIRY_CONCURRENCY,
    });
    this.rounds = new Counter({
      name: 'ledger_expiry_rounds_total',
      help: 'Expiry worker rounds by result',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
    this.written = new Counter({
      name: 'ledger_expiry_events_total',
      help: 'CreditsExpired and ReservationReleased events the expiry worker wrote',
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    if (runsWorker(this.config.role)) this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = null;
        if (this.timer) this.schedule();
      });
    }, this.config.workerIntervalMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    try {
      const round: ExpiryRound = await this.worker.runOnce();
      this.rounds.inc({ result: round.failures > 0 ? 'partial' : 'ok' });
      this.written.inc(round.events);
      if (round.events > 0 || round.failures > 0) this.logger.log(round, 'expiry round');
    } catch (error) {
      this.rounds.inc({ result: 'failed' });
      this.logger.warn({ err: error }, 'expiry round failed; next round retries');
    }
  }
}
