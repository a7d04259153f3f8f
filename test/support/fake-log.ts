import type { RecordedEvent } from '../../src/event-store/event-store.port';

/**
 * Appends `count` events to an in-memory log whose positions are the events' indexes as strings
 * (the projection sources' specs read it: only positions and order matter to them).
 */
export function appendFakeEvents(events: RecordedEvent[], count: number): void {
  for (let i = 0; i < count; i++) {
    const index = events.length;
    events.push({
      eventId: `e${index}`,
      type: 'CreditsGranted',
      data: {},
      metadata: {},
      streamId: 'credits-a',
      revision: index,
      position: String(index),
      recordedAt: new Date(0),
    });
  }
}
