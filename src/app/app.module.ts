import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { FinanceModule } from '../finance/finance.module';
import { servesApi } from '../config/app-config';
import { CustomerTokensModule } from '../customer-tokens/customer-tokens.module';
import { ExpiryModule } from '../expiry/expiry.module';
import { HistoryModule } from '../history/history.module';
import { HttpKernelModule } from '../http/http-kernel.module';
import { LiveBalanceModule } from '../live-balance/live-balance.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { loggerOptions } from '../observability/logger-options';
import { OperationsModule } from '../operations/operations.module';
import { PaymentsModule } from '../payments/payments.module';
import { PlatformModule, type PlatformOptions } from '../platform/platform.module';
import { PricingModule } from '../pricing/pricing.module';
import { ReportsModule } from '../reports/reports.module';
import { PoolsModule } from '../programs/pools/pools.module';
import { GiftCodesModule } from '../programs/gift-codes/gift-codes.module';
import { ReferralsModule } from '../programs/referrals/referrals.module';
import { ProgramsModule } from '../programs/programs.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { WidgetsConfigModule } from '../widgets-config/widgets-config.module';

export type AppModuleOptions = PlatformOptions & {
  /** Where the logs go (main.ts: stdout, buffered); by default pino's synchronous stdout. */
  logDestination?: DestinationStream;
};

/**
 * The composition root: the shared layers, then one import per feature. A new feature is a folder
 * with its module, imported here (docs/architecture.md, "Adding a feature").
 */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Shared: config, clock, metrics, database, event store; commands and queries; logs; HTTP.
        PlatformModule.forRoot(options),
        CqrsModule.forRoot(),
        LoggerModule.forRoot(loggerOptions(options.config, options.logDestination)),
        HttpKernelModule,
        // Features. Their order is the order of their routes in the OpenAPI document.
        AccountsModule,
        PricingModule,
        HistoryModule,
        AuditModule,
        FinanceModule,
        OperationsModule,
        PaymentsModule,
        ReportsModule,
        LiveBalanceModule,
        CustomerTokensModule.register({
          // A route that mints tokens without a key: development only, and only where the API is.
          demoTokens: options.config.demoTokens && servesApi(options.config.role),
        }),
        ProgramsModule,
        SubscriptionsModule,
        ProjectionsModule,
        ExpiryModule,
        NotificationsModule,
        PoolsModule,
        GiftCodesModule,
        ReferralsModule,
        WidgetsConfigModule,
      ],
    };
  }
}
