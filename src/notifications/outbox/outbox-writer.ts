import type { PoolClient } from 'pg';
import { JsonRows } from '../../database/json-rows';
import { randomId } from './message-ids';

type Queryable = Pick<PoolClient, 'query'>;

/** A webhook message: the body is `{ type, timestamp, data }` (Standard Webhooks' payload shape). */
export interface OutgoingMessage {
  id: string;
  /** One of WEBHOOK_EVENT_TYPES (webhooks/event-types.ts). */
  type: string;
  accountId: string | null;
  /** ISO-8601: when what it reports happened. */
  timestamp: string;
  data: Record<string, unknown>;
}

export interface OutgoingEmail {
  id: string;
  accountId: string;
  /** One of EMAIL_TEMPLATE_NAMES (email/email-templates.ts). */
  template: string;
  to: string;
  data: Record<string, unknown>;
}

/** Most rows one statement writes; bigger outputs are written in several. */
const ROWS_PER_STATEMENT = 2_000;

const MESSAGE_ROWS = new JsonRows<OutgoingMessage>(
  'id text, type text, account_id text, body text',
  (message) => [
    message.id,
    message.type,
    message.accountId,
    JSON.stringify({ type: message.type, timestamp: message.timestamp, data: message.data }),
  ],
);
const DELIVERY_ROWS = new JsonRows<{ id: string; messageId: string; endpointId: string }>(
  'id text, message_id text, endpoint_id text',
  (delivery) => [delivery.id, delivery.messageId, delivery.endpointId],
);
const EMAIL_ROWS = new JsonRows<OutgoingEmail>(
  'id text, account_id text, template text, to_address text, data jsonb',
  (email) => [email.id, email.accountId, email.template, email.to, email.data],
);

/**
 * Writes messages and emails into the outboxes, inside the caller's transaction (the reactor's, or
 * the notice worker's): they exist exactly when what caused them is recorded as handled. A message
 * is kept only if some endpoint subscribes to its type (one delivery row per endpoint); ids are
 * derived from the cause, so writing the same thing again adds nothing. Other features publish
 * their own types the same way, from their own reactor's transaction.
 */
export async function writeOutbox(
  client: Queryable,
  outgoing: { messages: readonly OutgoingMessage[]; emails: readonly OutgoingEmail[] },
  now: Date,
): Promise<{ deliveries: number; emails: number }> {
  let deliveries = 0;
  if (outgoing.messages.length > 0) {
    const { rows: endpoints } = await client.query<{ id: string; events: string[] }>(
      `SELECT id, events FROM webhook_endpoints WHERE disabled_at IS NULL`,
    );
    const subscribed = (type: string) => endpoints.filter((e) => e.events.includes(type));
    const messages = outgoing.messages.filter((message) => subscribed(message.type).length > 0);
    for (const chunk of chunks(messages)) {
      await client.query(
        `INSERT INTO notification_messages (id, type, account_id, body, created_at)
         SELECT id, type, account_id, body, $2 FROM ${MESSAGE_ROWS.from('$1')}
         ON CONFLICT (id) DO NOTHING`,
        [MESSAGE_ROWS.parameter(chunk), now],
      );
      const rows = chunk.flatMap((message) =>
        subscribed(message.type).map((endpoint) => ({
          id: randomId('dlv'),
          messageId: message.id,
          endpointId: endpoint.id,
        })),
      );
      const result = await client.query(
        `INSERT INTO webhook_deliveries (id, message_id, endpoint_id, status, next_attempt_at, created_at, updated_at)
         SELECT id, message_id, endpoint_id, 'pending', $2, $2, $2 FROM ${DELIVERY_ROWS.from('$1')}
         ON CONFLICT (message_id, endpoint_id) DO NOTHING`,
        [DELIVERY_ROWS.parameter(rows), now],
      );
      deliveries += result.rowCount ?? 0;
    }
  }
  let emails = 0;
  for (const chunk of chunks(outgoing.emails)) {
    const result = await client.query(
      `INSERT INTO email_outbox (id, account_id, template, to_address, data, status, next_attempt_at, created_at)
       SELECT id, account_id, template, to_address, data, 'pending', $2, $2 FROM ${EMAIL_ROWS.from('$1')}
       ON CONFLICT (id) DO NOTHING`,
      [EMAIL_ROWS.parameter(chunk), now],
    );
    emails += result.rowCount ?? 0;
  }
  return { deliveries, emails };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT)
    out.push(items.slice(start, start + ROWS_PER_STATEMENT));
  return out;
}
