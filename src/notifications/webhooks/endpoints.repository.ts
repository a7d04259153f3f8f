import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import {
  TooManyWebhookEndpointsError,
  WebhookDeliveryNotFoundError,
  WebhookEndpointNotFoundError,
} from '../errors';
import { randomId } from '../outbox/message-ids';

/** The service keeps this many endpoints at most (each costs a look-up per reactor batch). */
export const MAX_WEBHOOK_ENDPOINTS = 100;

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
  /** Set when 5 days of failures disabled it; a retry by hand enables it again. */
  disabledAt: string | null;
}

export interface DeliveryView {
  id: string;
  messageId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

interface EndpointRecord {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

const toEndpoint = (row: EndpointRecord): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  createdAt: row.created_at.toISOString(),
  disabledAt: row.disabled_at?.toISOString() ?? null,
});

@Injectable()
export class WebhookEndpointsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async create(
    endpoint: { url: string; events: string[]; description: string | null; secret: string },
    now: Date,
  ): Promise<WebhookEndpoint> {
    // The count and the insert under one lock, so concurrent creations cannot pass the limit.
    const client = await this.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`LOCK TABLE webhook_endpoints IN SHARE ROW EXCLUSIVE MODE`);
      const { rows: counted } = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM webhook_endpoints`,
      );
      if (counted[0].count >= MAX_WEBHOOK_ENDPOINTS)
        throw new TooManyWebhookEndpointsError(MAX_WEBHOOK_ENDPOINTS);
      const { rows } = await client.query<EndpointRecord>(
        `INSERT INTO webhook_endpoints (id, url, events, description, secret, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [randomId('ep'), endpoint.url, endpoint.events, endpoint.description, endpoint.secret, now],
      );
      await client.query('COMMIT');
      return toEndpoint(rows[0]);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async list(): Promise<WebhookEndpoint[]> {
    const { rows } = await this.database.pool.query<EndpointRecord>(
      `SELECT * FROM webhook_endpoints ORDER BY created_at, id`,
    );
    return rows.map(toEndpoint);
  }

  async delete(endpointId: string): Promise<void> {
    const { rowCount } = await this.database.pool.query(
      `DELETE FROM webhook_endpoints WHERE id = $1`,
      [endpointId],
    );
    if (rowCount === 0) throw new WebhookEndpointNotFoundError(endpointId);
  }

  async deliveries(endpointId: string, limit: number): Promise<DeliveryView[]> {
    await this.mustExist(endpointId);
    const { rows } = await this.database.pool.query<{
      id: string;
      message_id: string;
      type: string;
      status: DeliveryView['status'];
      attempts: number;
      last_status_code: number | null;
      last_error: string | null;
      next_attempt_at: Date | null;
      created_at: Date;
    }>(
      `SELECT d.id, d.message_id, m.type, d.status, d.attempts, d.last_status_code, d.last_error,
              d.next_attempt_at, d.created_at
       FROM webhook_deliveries d JOIN notification_messages m ON m.id = d.message_id
       WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      [endpointId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      messageId: row.message_id,
      eventType: row.type,
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /**
   * Sends a delivery again now, whatever its status, with a fresh retry schedule; its endpoint,
   * if disabled, is enabled again (an operator asking for a send means the receiver is back).
   */
  async retry(endpointId: string, deliveryId: string, now: Date): Promise<void> {
    await this.mustExist(endpointId);
    const { rowCount } = await this.database.pool.query(
      `WITH enabled AS (
         UPDATE webhook_endpoints SET disabled_at = NULL, failing_since = NULL
         WHERE id = $1 AND disabled_at IS NOT NULL
       )
       UPDATE webhook_deliveries SET status = 'pending', schedule_step = 0, next_attempt_at = $3,
         updated_at = $3
       WHERE endpoint_id = $1 AND id = $2`,
      [endpointId, deliveryId, now],
    );
    if (rowCount === 0) throw new WebhookDeliveryNotFoundError(endpointId, deliveryId);
  }

  private async mustExist(endpointId: string): Promise<void> {
    const { rowCount } = await this.database.pool.query(
      `SELECT 1 FROM webhook_endpoints WHERE id = $1`,
      [endpointId],
    );
    if (rowCount === 0) throw new WebhookEndpointNotFoundError(endpointId);
  }
}
