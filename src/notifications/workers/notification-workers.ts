import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Counter } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { DATABASE, type Database } from '../../database/database';
import { runsWorker } from '../../expiry/worker-runtime';
import { MetricsRegistry } from '../../observability/metrics-registry';
import { Clock } from '../../shared/clock';
import { EmailTemplates } from '../email/email-templates';
import { EmailWorker } from '../email/email-worker';
import type { Mailer } from '../email/mailer';
import { WebhookDeliveryWorker } from '../webhooks/delivery-worker';
import { ExpiryNoticesWorker } from './expiry-notices-worker';
import { OutboxRetention } from './outbox-retention';

interface Loop {
  name: string;
  round: () => Promise<unknown>;
  intervalMs: number;
}

/** The retention sweep has no hurry. */
const RETENTION_INTERVAL_MS = 60_000;

type MailerModule = typeof import('../email/mailer');

/**
 * The notification workers, in the roles that run background work (ARCHITECTURE.md "Processes":
 * `worker` and `all`, like the expiry worker): webhook deliveries, emails, expiry notices. Each is a
 * loop of rounds every NOTIFICATIONS_POLL_MS, never two rounds of one loop at once; a failed round
 * is logged and the next one retries (everything they do is durable in the outbox tables).
 */
@Injectable()
export class NotificationWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  readonly deliveries: WebhookDeliveryWorker;
  readonly notices: ExpiryNoticesWorker;
  readonly emails: EmailWorker | null;
  private readonly retention: OutboxRetention;
  private readonly mailer: Mailer | null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly rounds: Counter<'loop' | 'result'>;

  constructor(
    private readonly config: AppConfig,
    @Inject(DATABASE) database: Database,
    clock: Clock,
    metrics: MetricsRegistry,
  ) {
    const { webhooks, email } = config.notifications;
    const attempts = new Counter({
      name: 'notifications_webhook_attempts_total',
      help: 'Webhook delivery attempts by result (succeeded, retry, failed)',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
    const disabled = new Counter({
      name: 'notifications_webhook_endpoints_disabled_total',
      help: 'Endpoints disabled after failing for WEBHOOK_DISABLE_AFTER_DAYS',
      registers: [metrics.registry],
    });
    this.rounds = new Counter({
      name: 'notifications_worker_rounds_total',
      help: 'Notification worker rounds by loop and result',
      labelNames: ['loop', 'result'],
      registers: [metrics.registry],
    });
    this.deliveries = new WebhookDeliveryWorker(database.pool, clock, webhooks, {
      attempted: (result) => attempts.inc({ result }),
      disabled: (endpointId) => {
        disabled.inc();
        this.logger.warn({ endpointId }, 'webhook endpoint disabled after days of failures');
      },
    });
    // nodemailer is loaded only when SMTP_URL is set: ≈ 2 MB of heap in every process without it.
    this.mailer = email.smtpUrl
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports
        new (require('../email/mailer') as MailerModule).Mailer(email.smtpUrl, email.from)
      : null;
    this.emails = this.mailer
      ? new EmailWorker(
          database.pool,
          clock,
          this.mailer,
          new EmailTemplates(email.productName),
          webhooks.retryScheduleSeconds,
        )
      : null;
    this.notices = new ExpiryNoticesWorker(database.pool, clock, this.mailer !== null);
    this.retention = new OutboxRetention(database.pool, clock, config.notifications.retentionDays);
  }

  onApplicationBootstrap(): void {
    if (!this.config.notifications.email.smtpUrl)
      this.logger.log('emails are off: SMTP_URL is not set');
    if (!runsWorker(this.config.role)) return;
    const every = this.config.notifications.pollIntervalMs;
    const loops: Loop[] = [
      { name: 'webhooks', round: () => this.deliveries.runOnce(), intervalMs: every },
      { name: 'expiry-notices', round: () => this.notices.runOnce(), intervalMs: every },
      {
        name: 'retention',
        round: () => this.retention.runOnce(),
        intervalMs: RETENTION_INTERVAL_MS,
      },
    ];
    const emails = this.emails;
    if (emails) loops.push({ name: 'emails', round: () => emails.runOnce(), intervalMs: every });
    for (const loop of loops) this.schedule(loop);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
    await this.deliveries.drain();
    this.mailer?.close();
  }

  private schedule(loop: Loop): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const round = loop
        .round()
        .then(
          () => this.rounds.inc({ loop: loop.name, result: 'ok' }),
          (error: unknown) => {
            this.rounds.inc({ loop: loop.name, result: 'failed' });
            this.logger.warn(
              { err: error, loop: loop.name },
              'notification round failed; next round retries',
            );
          },
        )
        .finally(() => {
          this.running.delete(round);
          this.schedule(loop);
        });
      this.running.add(round);
    }, loop.intervalMs);
    timer.unref();
    this.timers.add(timer);
  }
}
