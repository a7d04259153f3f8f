import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';

/** Closes what the application opened, in reverse order of need. */
export class OwnedResources implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) private readonly database: Database,
    private readonly ownsDatabase: boolean,
    private readonly ownsEventStore: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ownsEventStore) await this.eventStore.close();
    if (this.ownsDatabase) await this.database.close();
  }
}
