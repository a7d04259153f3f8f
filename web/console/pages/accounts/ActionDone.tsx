import { useEffect, useRef } from 'react';
import type { ConsoleClient } from '../../api';
import { ActorLabel, ErrorMessage, formatInstant, useLoad } from '../../kit';
import { occurredAt, recordedEvent } from './account-api';

/** What an action wrote, once it is done: the event, and who did it as the event records it. */
export interface Done {
  summary: string;
  accountId: string;
  /** The revision the write answered: its (last) event. */
  revision: number;
  /** The reason the operator typed, as the write recorded it (a release's or merge's: `note`). */
  reason: string;
}

export function ActionDone({ client, done }: { client: ConsoleClient; done: Done }) {
  const event = useLoad(
    () => recordedEvent(client, done.accountId, done.revision),
    [client, done.accountId, done.revision],
  );
  // The confirmation is above the forms: bring it into view (role=status announces it).
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.scrollIntoView({ block: 'nearest' }), [done]);
  return (
    <div className="c-ok" role="status" data-testid="action-done" ref={box}>
      <p>
        <strong>{done.summary}</strong> — reason: “{done.reason}”.
      </p>
      {event.state === 'ready' && event.data && (
        <p>
          Recorded as <code>{event.data.type}</code> (revision {event.data.revision}) at{' '}
          {formatInstant(occurredAt(event.data))} by{' '}
          <ActorLabel actor={event.data.metadata.actor} />.
        </p>
      )}
      {event.state === 'error' && <ErrorMessage error={event.error} />}
    </div>
  );
}
