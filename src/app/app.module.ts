import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ExpiryModule } from '../expiry/expiry.module';
import { HistoryModule } from '../history/history.module';
import { HttpKernelModule } from '../http/http-kernel.module';
import { loggerOptions } from '../observability/logger-options';
import { OperationsModule } from '../operations/operations.module';
import { PaymentsModule } from '../payments/payments.module';
import { PlatformModule, type PlatformOptions } from '../platform/platform.module';
import { PricingModule } from '../pricing/pricing.module';
import { WidgetsConfigModule } from '../widgets-config/widgets-config.module';

export type AppModuleOptions = PlatformOptions;

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
        LoggerModule.forRoot(loggerOptions(options.config)),
        HttpKernelModule,
        // Features. Their order is the order of their routes in the OpenAPI document.
        AccountsModule,
        PricingModule,
        HistoryModule,
        AuditModule,
        OperationsModule,
        PaymentsModule,
        ProjectionsModule,
        ExpiryModule,
        WidgetsConfigModule,
      ],
    };
  }
}
