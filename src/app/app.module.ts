import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AccountQueries } from '../application/account-queries';
import { AccountRepository } from '../application/account-repository';
import { AccountSnapshots } from '../application/account-snapshots';
import { CommandMetrics } from '../application/command-metrics';
import { KeyedSerializer } from '../application/keyed-serializer';
import {
  LedgerCommandHandler,
  MAX_QUEUED_COMMANDS_PER_ACCOUNT,
} from '../application/ledger-command.handler';
import { AppConfig } from '../config/app-config';
import { DATABASE, Database } from '../database/database';
import { createEventStore } from '../event-store/event-store.factory';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { ApiKeyAuthenticator } from '../http/auth/api-key-authenticator';
import { ApiKeyGuard } from '../http/auth/api-key.guard';
import { RateLimits } from '../http/rate-limits/rate-limits';
import { BalanceController } from '../http/accounts/balance.controller';
import { GrantsController } from '../http/accounts/grants.controller';
import { LedgerWriter } from '../http/accounts/ledger-writer';
import { ReservationsController } from '../http/accounts/reservations.controller';
import { SpendsController } from '../http/accounts/spends.controller';
import { SpendRequest } from '../http/accounts/dto/requests';
import { checkSpendRequest } from '../http/accounts/dto/spend-request.fast-check';
import { TransactionsController } from '../http/history/transactions.controller';
import { EventsController } from '../http/audit/events.controller';
import { PROJECTION_PROVIDERS } from '../../projections/nest/projection-runtime';
import { ProblemDetailsFilter } from '../http/errors/problem-details.filter';
import { HealthController } from '../http/operations/health.controller';
import { MetricsController } from '../http/operations/metrics.controller';
import { createValidationPipe } from '../http/validation/validation.pipe';
import { loggerOptions } from '../observability/logger-options';
import { MetricsRegistry } from '../observability/metrics-registry';
import { Clock, SystemClock } from '../shared/clock';
import { WorkerRuntime } from '../worker/worker-runtime';
import { STRIPE_CONTROLLERS, STRIPE_PROVIDERS } from '../stripe/stripe.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests pass a ManualClock; the service uses the system clock. */
  clock?: Clock;
  /** An already open database (tests share one); otherwise opened from config and owned. */
  database?: Database;
  /** Replaces the configured event store (tests of everything but the store). */
  eventStore?: EventStore;
}

/** Closes what the application opened, in reverse order of need. */
class OwnedResources implements OnApplicationShutdown {
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

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), LoggerModule.forRoot(loggerOptions(config))],
      controllers: [
        BalanceController,
        SpendsController,
        GrantsController,
        ReservationsController,
        TransactionsController,
        EventsController,
        HealthController,
        MetricsController,
        ...STRIPE_CONTROLLERS,
      ],
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
        {
          provide: KeyedSerializer,
          useValue: new KeyedSerializer(MAX_QUEUED_COMMANDS_PER_ACCOUNT),
        },
        { provide: ApiKeyAuthenticator, useValue: new ApiKeyAuthenticator(config.apiKeys) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        // Installed on Fastify by createApp before the routes (src/http/rate-limits/rate-limits.ts).
        RateLimits,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // The spend body, the hottest route's, is checked without class-validator when plainly valid.
        {
          provide: APP_PIPE,
          useFactory: () => createValidationPipe(new Map([[SpendRequest, checkSpendRequest]])),
        },
        {
          provide: AccountSnapshots,
          inject: [DATABASE],
          useFactory: (database: Database) => new AccountSnapshots(database.pool),
        },
        AccountRepository,
        CommandMetrics,
        LedgerCommandHandler,
        AccountQueries,
        LedgerWriter,
        // Projector (roles all and projector), read-your-writes waits, projection metrics.
        ...PROJECTION_PROVIDERS,
        // Expiry worker (roles all and worker).
        WorkerRuntime,
        // Payments with Stripe: catalog, checkout, webhook (docs/stripe.md).
        ...STRIPE_PROVIDERS,
      ],
    };
  }
}
