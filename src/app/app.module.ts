import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AccountQueries } from '../accounts/queries/account-queries';
import { ACCOUNT_COMMAND_HANDLERS } from '../accounts/commands';
import { WRITE_PATH_PROVIDERS } from '../accounts/write-path';
import { AppConfig } from '../config/app-config';
import { DATABASE, Database } from '../database/database';
import { createEventStore } from '../event-store/event-store.factory';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { ApiKeyAuthenticator } from '../http/auth/api-key-authenticator';
import { ApiKeyGuard } from '../http/auth/api-key.guard';
import { RateLimits } from '../http/rate-limits/rate-limits';
import { BalanceController } from '../accounts/http/balance.controller';
import { GrantsController } from '../accounts/http/grants.controller';
import { LedgerWriter } from '../accounts/http/ledger-writer';
import { ReservationsController } from '../accounts/http/reservations.controller';
import { SpendsController } from '../accounts/http/spends.controller';
import { SpendRequest } from '../accounts/http/dto/requests';
import { checkSpendRequest } from '../accounts/http/dto/spend-request.fast-check';
import { TransactionsController } from '../history/transactions.controller';
import { EventsController } from '../audit/events.controller';
import { PROJECTION_PROVIDERS } from '../../projections/nest/projection-runtime';
import { ProblemDetailsFilter } from '../http/errors/problem-details.filter';
import { HealthController } from '../operations/health.controller';
import { MetricsController } from '../operations/metrics.controller';
import { createValidationPipe } from '../http/validation/validation.pipe';
import { loggerOptions } from '../observability/logger-options';
import { MetricsRegistry } from '../observability/metrics-registry';
import { Clock, SystemClock } from '../shared/clock';
import { WorkerRuntime } from '../expiry/worker-runtime';
import { STRIPE_CONTROLLERS, STRIPE_PROVIDERS } from '../payments/payments.module';

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
        ...WRITE_PATH_PROVIDERS,
        ...ACCOUNT_COMMAND_HANDLERS,
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
