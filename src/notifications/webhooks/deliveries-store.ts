import type { Pool } from 'pg';
import type { AttemptOutcome } from './retry-policy';

export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  scheduleStep: number;
  body: string;
  url: string;
  secret: string;
}

/**
 * Due deliveries of enabled endpoints, at most `perEndpoint` per endpoint, oldest first. Only
 * candidates: `claim` takes them.
 */
export async function dueDeliveries(
  pool: Pool,
  now: Date,
  perEndpoint: number,
  limit: number,
): Promise<Array<{ id: string; endpointId: string }>> {
  const { rows } = await pool.query<{ id: string; endpoint_id: string }>(
    `SELECT id, endpoint_id FROM (
       SELECT d.id, d.endpoint_id, d.next_attempt_at,
              row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at) AS rank
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.disabled_at IS NULL
     ) due WHERE rank <= $2 ORDER BY next_attempt_at LIMIT $3`,
    [now, perEndpoint, limit],
  );
  return rows.map((row) => ({ id: row.id, endpointId: row.endpoint_id }));
}

/**
 * Takes the deliveries still due (another worker may have taken some) by moving their due time to
 * the end of the attempt's lease: a process that dies mid-attempt leaves them due again when the
 * lease ends, so they are sent again (at least once), never lost.
 */
export async function claim(
  pool: Pool,
  ids: string[],
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query<{
    id: string;
    endpoint_id: string;
    message_id: string;
    schedule_step: number;
    body: string;
    url: string;
    secret: string;
  }>(
    `UPDATE webhook_deliveries d SET next_attempt_at = $3, updated_at = $2
     FROM notification_messages m, webhook_endpoints e
     WHERE d.id = ANY($1::text[]) AND d.status = 'pending' AND d.next_attempt_at <= $2
       AND m.id = d.message_id AND e.id = d.endpoint_id AND e.disabled_at IS NULL
     RETURNING d.id, d.endpoint_id, d.message_id, d.schedule_step, m.body, e.url, e.secret`,
    [ids, now, leaseUntil],
  );
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    scheduleStep: row.schedule_step,
    body: row.body,
    url: row.url,
    secret: row.secret,
  }));
}

/** Records an attempt's outcome; returns when the endpoint's current run of failures started. */
export async function recordAttempt(
  pool: Pool,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  result: { statusCode: number | null; error: string | null },
  now: Date,
): Promise<Date | null> {
  await pool.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, schedule_step = $3,
       last_status_code = $4, last_error = $5, next_attempt_at = $6, updated_at = $7
     WHERE id = $1`,
    [
      delivery.id,
      outcome.status,
      outcome.status === 'pending' ? outcome.scheduleStep : delivery.scheduleStep,
      result.statusCode,
      result.error?.slice(0, 500) ?? null,
      outcome.status === 'pending' ? outcome.nextAttemptAt : null,
      now,
    ],
  );
  const { rows } = await pool.query<{ failing_since: Date | null }>(
    outcome.status === 'succeeded'
      ? `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 RETURNING failing_since`
      : `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $2) WHERE id = $1
         RETURNING failing_since`,
    outcome.status === 'succeeded' ? [delivery.endpointId] : [delivery.endpointId, now],
  );
  return rows[0]?.failing_since ?? null;
}

export async function disableEndpoint(pool: Pool, endpointId: string, now: Date): Promise<void> {
  await pool.query(
    `UPDATE webhook_endpoints SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL`,
    [endpointId, now],
  );
}
