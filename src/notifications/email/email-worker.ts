import type { Pool } from 'pg';
import type { Clock } from '../../shared/clock';
import { afterAttempt } from '../webhooks/retry-policy';
import type { EmailTemplateName, EmailTemplates } from './email-templates';
import type { Mailer } from './mailer';

/** Emails sent at once per round. */
const EMAILS_PER_ROUND = 20;
/** A claimed email is due again after this long if the process died while sending it. */
const LEASE_MS = 60_000;

/**
 * Sends the email outbox: claims due emails (moving their due time past a lease, so a crash sends
 * them again: at least once), renders each template and sends it; a failure is retried on the
 * same schedule as webhooks (WEBHOOK_RETRY_SCHEDULE), then `failed`.
 */
export class EmailWorker {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly templates: EmailTemplates,
    private readonly retryScheduleSeconds: readonly number[],
  ) {}

  async runOnce(): Promise<{ sent: number; failed: number }> {
    const now = this.clock.now();
    const { rows } = await this.pool.query<{
      id: string;
      template: EmailTemplateName;
      to_address: string;
      data: Record<string, unknown>;
      attempts: number;
    }>(
      `UPDATE email_outbox SET next_attempt_at = $2
       WHERE id IN (SELECT id FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, template, to_address, data, attempts`,
      [now, new Date(now.getTime() + LEASE_MS), EMAILS_PER_ROUND],
    );
    const round = { sent: 0, failed: 0 };
    await Promise.all(
      rows.map(async (row) => {
        let error: string | null = null;
        try {
          await this.mailer.send(
            row.to_address,
            this.templates.render(row.template, row.data),
            row.id,
          );
        } catch (caught) {
          error = caught instanceof Error ? caught.message : String(caught);
        }
        const outcome = afterAttempt(
          error === null,
          row.attempts,
          this.retryScheduleSeconds,
          this.clock.now(),
        );
        await this.pool.query(
          `UPDATE email_outbox SET status = $2, attempts = attempts + 1, last_error = $3,
             next_attempt_at = $4 WHERE id = $1`,
          [
            row.id,
            outcome.status === 'succeeded' ? 'sent' : outcome.status,
            error?.slice(0, 500) ?? null,
            outcome.status === 'pending' ? outcome.nextAttemptAt : null,
          ],
        );
        if (error === null) round.sent += 1;
        else round.failed += 1;
      }),
    );
    return round;
  }
}
