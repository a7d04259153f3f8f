import { useEffect, useState } from 'react';
import type { ConsoleClient } from '../../api';
import { ActorLabel, ErrorMessage, Loading, Section, formatInstant } from '../../kit';
import { eventsOf, occurredAt, type RawEvent } from './account-api';

const PAGE_SIZE = 50;

/**
 * The raw event timeline (`GET …/events`), newest first: each event's type, time and actor as
 * stored, its data on demand. Read backwards from the stream's last revision, a page at a time.
 */
export function TimelinePanel({
  client,
  accountId,
  revision,
}: {
  client: ConsoleClient;
  accountId: string;
  /** The stream's last revision (from the balance); -1: no events. */
  revision: number;
}) {
  const [events, setEvents] = useState<RawEvent[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const load = async (upTo: number, replace: boolean) => {
    if (upTo < 0) {
      setEvents([]);
      return;
    }
    const from = Math.max(0, upTo - PAGE_SIZE + 1);
    setLoading(true);
    setError(undefined);
    try {
      const page = await eventsOf(client, accountId, from, upTo - from + 1);
      const newestFirst = [...page.data].reverse();
      setEvents((previous) => (replace ? newestFirst : [...previous, ...newestFirst]));
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(revision, true);
  }, [client, accountId, revision]);
  const oldest = events.at(-1)?.revision ?? 0;
  return (
    <Section title="Event timeline" testId="account-timeline">
      {revision < 0 && <p className="c-muted">No events.</p>}
      <ol className="c-timeline" aria-label={`Events of ${accountId}, newest first`}>
        {events.map((event) => (
          <li key={event.eventId} data-testid="timeline-entry">
            <div>
              <strong data-testid="timeline-type">{event.type}</strong> · revision {event.revision}{' '}
              · <time dateTime={occurredAt(event)}>{formatInstant(occurredAt(event))}</time> · by{' '}
              <ActorLabel actor={event.metadata.actor} />
            </div>
            <details>
              <summary>Data</summary>
              <pre>{JSON.stringify({ data: event.data, metadata: event.metadata }, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {loading && <Loading what="events" />}
      <ErrorMessage error={error} />
      {!loading && events.length > 0 && oldest > 0 && (
        <button type="button" className="c-secondary" onClick={() => void load(oldest - 1, false)}>
          Older events
        </button>
      )}
    </Section>
  );
}
