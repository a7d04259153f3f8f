import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DATABASE, Database } from '../database/database';
import { createEventStore } from '../event-store/event-store.factory';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { MetricsRegistry } from '../observability/metrics-registry';
import { Clock, SystemClock } from '../shared/clock';
import { EVENT_STORE_PROBLEMS } from './event-store-problems';
import { OwnedResources } from './owned-resources';

export interface PlatformOptions {
  config: AppConfig;
  /** Tests pass a ManualClock; the service uses the system clock. */
  clock?: Clock;
  /** An already open database (tests share one); otherwise opened from config and owned. */
  database?: Database;
  /** Replaces the configured event store (tests of everything but the store). */
  eventStore?: EventStore;
}

/**
 * What every feature stands on, one instance per application: the config, the clock, the metrics
 * registry, the database and the event store (the port; the adapter is chosen by config). Global:
 * features inject these without importing this module.
 */
@Module({})
export class PlatformModule {
  constructor(problems: ProblemCatalog) {
    problems.register(EVENT_STORE_PROBLEMS);
  }

  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    return {
      module: PlatformModule,
      global: true,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        {
          provide: MetricsRegistry,
          useValue: new MetricsRegistry({ collectProcessMetrics: true }),
        },
        {
          provide: DATABASE,
          useFactory: () =>
            options.database ??
            Database.open({
              databaseUrl: config.databaseUrl,
              dataDir: config.dataDir,
              poolMax: config.databasePoolMax,
              applicationName: `credits-ledger-${config.role}`,
            }),
        },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (database: Database) =>
            options.eventStore ?? createEventStore(config, database),
        },
        {
          provide: OwnedResources,
          inject: [EVENT_STORE, DATABASE],
          useFactory: (eventStore: EventStore, database: Database) =>
            new OwnedResources(eventStore, database, !options.database, !options.eventStore),
        },
      ],
      exports: [AppConfig, Clock, MetricsRegistry, DATABASE, EVENT_STORE],
    };
  }
}
