import type { Pool } from 'pg';
import type { Clock } from '../../shared/clock';
import { derivedId } from '../outbox/message-ids';
import { writeOutbox, type OutgoingEmail, type OutgoingMessage } from '../outbox/outbox-writer';
import { noticeStillDue } from '../alerts/expiry-notice';

const NOTICES_PER_ROUND = 500;

/**
 * Sends credits.expiring: the reactor records, for every block with an expiry, when its notice is
 * due (expiry_notices) and keeps its remaining credits; this worker takes the due ones in a
 * transaction, writes their messages and emails into the outbox and marks them sent in that same
 * transaction — each notice is written exactly once. Notices of blocks already expired, or empty,
 * are voided.
 */
export class ExpiryNoticesWorker {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly emailsEnabled: boolean,
  ) {}

  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        account_id: string;
        block_id: string;
        expires_at: Date;
        notice_at: Date;
        remaining: number;
        address: string | null;
        name: string | null;
      }>(
        `SELECT n.account_id, n.block_id, n.expires_at, n.notice_at, n.remaining,
                coalesce(p.email, p.stripe_email) AS address, p.name
         FROM expiry_notices n LEFT JOIN account_profiles p ON p.account_id = n.account_id
         WHERE n.status = 'pending' AND n.notice_at <= $1
         ORDER BY n.notice_at LIMIT $2 FOR UPDATE OF n SKIP LOCKED`,
        [now, NOTICES_PER_ROUND],
      );
      const messages: OutgoingMessage[] = [];
      const emails: OutgoingEmail[] = [];
      const sent: typeof rows = [];
      const voided: typeof rows = [];
      for (const row of rows) {
        const notice = {
          remaining: row.remaining,
          expiresAt: row.expires_at,
          noticeAt: row.notice_at,
        };
        if (!noticeStillDue(notice, now)) {
          voided.push(row);
          continue;
        }
        sent.push(row);
        const data = {
          accountId: row.account_id,
          blockId: row.block_id,
          credits: row.remaining,
          expiresAt: row.expires_at.toISOString(),
        };
        messages.push({
          id: derivedId('msg', 'credits.expiring', row.account_id, row.block_id),
          type: 'credits.expiring',
          accountId: row.account_id,
          timestamp: now.toISOString(),
          data,
        });
        if (this.emailsEnabled && row.address)
          emails.push({
            id: derivedId('eml', 'credits-expiring', row.account_id, row.block_id),
            accountId: row.account_id,
            template: 'credits-expiring',
            to: row.address,
            data: {
              ...data,
              name: row.name ?? row.account_id,
              expiresOn: row.expires_at.toISOString().slice(0, 10),
            },
          });
      }
      await writeOutbox(client, { messages, emails }, now);
      for (const [status, list] of [
        ['sent', sent],
        ['void', voided],
      ] as const) {
        if (list.length === 0) continue;
        await client.query(
          `UPDATE expiry_notices n SET status = $2
           FROM unnest($1::text[], $3::text[]) AS k(account_id, block_id)
           WHERE n.account_id = k.account_id AND n.block_id = k.block_id`,
          [list.map((row) => row.account_id), status, list.map((row) => row.block_id)],
        );
      }
      await client.query('COMMIT');
      return sent.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
