import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
} from '../../event-store/event-store.port';
import { streamIdFor } from '../../ledger/limits';
import type { EventsPageResponse, RawEventResponse } from '../events.dto';
import { GetEvents } from './get-events.query';

/**
 * Read from the event store itself, never a projection nor the accounts' state cache: an audit
 * sees the events exactly as stored. A missing stream reads as empty.
 */
@QueryHandler(GetEvents)
export class GetEventsHandler implements IQueryHandler<GetEvents, EventsPageResponse> {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async execute({ accountId, fromRevision, limit }: GetEvents): Promise<EventsPageResponse> {
    // One more than asked: whether it comes back tells if the stream goes on.
    const events = await this.eventStore.readStream(streamIdFor(accountId), {
      fromRevision,
      maxCount: limit + 1,
    });
    const page = events.slice(0, limit);
    return {
      accountId,
      data: page.map(toRawEvent),
      nextRevision: events.length > limit ? page[page.length - 1].revision + 1 : null,
    };
  }
}

function toRawEvent(event: RecordedEvent): RawEventResponse {
  return {
    revision: event.revision,
    position: event.position,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
    eventId: event.eventId,
  };
}
