import type { EventStore } from '../event-store/event-store.port';
import type { LedgerOptions } from '../ledger/state';
import { auditStream, type AuditReport } from './audit';
import type { AuditedEvent } from './audited-event';
import { readAccountStream } from './read-account-stream';

/** The stream has more events than this reader may hold (the HTTP audit's bound). */
export class StreamTooLongError extends Error {
  constructor(
    readonly accountId: string,
    readonly maxEvents: number,
  ) {
    super(`the stream of ${accountId} has more than ${maxEvents} events`);
    this.name = 'StreamTooLongError';
  }
}

export interface AuditAccountOptions {
  at?: Date;
  now: Date;
  ledgerOptions?: Partial<LedgerOptions>;
  /** Refuse (StreamTooLongError) a stream with more events than this; none: the whole stream. */
  maxEvents?: number;
}

/**
 * Reads an account's stream and audits it: what `ledger audit` and `GET …/audit` both run. The
 * events are held in memory for the fold, hence the HTTP route's `maxEvents`; events after `at`
 * are not read past the first page that reaches them. Null when the account has no stream.
 */
export async function auditAccount(
  eventStore: EventStore,
  accountId: string,
  options: AuditAccountOptions,
): Promise<AuditReport | null> {
  const events: AuditedEvent[] = [];
  const atMs = options.at?.getTime() ?? null;
  for await (const event of readAccountStream(eventStore, accountId)) {
    events.push(event);
    if (atMs !== null && occurredMs(event) > atMs) break;
    if (options.maxEvents !== undefined && events.length > options.maxEvents)
      throw new StreamTooLongError(accountId, options.maxEvents);
  }
  if (events.length === 0) return null;
  return auditStream(accountId, events, options);
}

function occurredMs(event: AuditedEvent): number {
  const metadata = event.metadata as { occurredAt?: unknown } | null;
  return typeof metadata?.occurredAt === 'string' ? Date.parse(metadata.occurredAt) : Number.NaN;
}
