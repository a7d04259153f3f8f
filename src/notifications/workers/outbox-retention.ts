import type { Pool } from 'pg';
import type { Clock } from '../../shared/clock';

/** Rows deleted per table and round: a backlog shrinks over rounds, never in one long statement. */
const ROWS_PER_ROUND = 1_000;
const MS_PER_DAY = 86_400_000;

/**
 * Keeps the outbox tables bounded: deliveries and emails that are finished (succeeded, failed,
 * sent) and older than NOTIFICATION_RETENTION_DAYS are deleted, then the messages no delivery
 * refers to any more, and the expiry notices of blocks long expired. Pending work is never deleted.
 */
export class OutboxRetention {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  async runOnce(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.retentionDays * MS_PER_DAY);
    let deleted = 0;
    for (const statement of [
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND updated_at < $1 LIMIT $2)`,
      `DELETE FROM notification_messages WHERE id IN (
         SELECT m.id FROM notification_messages m WHERE m.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id) LIMIT $2)`,
      `DELETE FROM email_outbox WHERE id IN (
         SELECT id FROM email_outbox WHERE status <> 'pending' AND created_at < $1 LIMIT $2)`,
      `DELETE FROM expiry_notices WHERE (account_id, block_id) IN (
         SELECT account_id, block_id FROM expiry_notices WHERE status <> 'pending' AND expires_at < $1 LIMIT $2)`,
    ]) {
      const result = await this.pool.query(statement, [cutoff, ROWS_PER_ROUND]);
      deleted += result.rowCount ?? 0;
    }
    return deleted;
  }
}
