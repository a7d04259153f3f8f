import { Global, Module } from '@nestjs/common';
import { ACCOUNT_LOW_BALANCE_LINES } from '../accounts/queries/low-balance';
import { AppConfig } from '../config/app-config';
import { ProblemCatalog } from '../http/errors/problem-catalog';
import { Clock } from '../shared/clock';
import { ProjectionsModule } from '../../projections/nest/projections.module';
import { ReactorRegistry } from '../../projections/nest/reactor-registry';
import {
  RecordCheckoutEmailHandler,
  SetAlertSettingsHandler,
  SetProfileHandler,
} from './commands/preferences.commands';
import {
  CreateWebhookEndpointHandler,
  DeleteWebhookEndpointHandler,
  RetryWebhookDeliveryHandler,
} from './commands/webhook-endpoint.commands';
import { AccountNotificationsController } from './http/account-notifications.controller';
import { WebhookEndpointsController } from './http/webhook-endpoints.controller';
import { NOTIFICATION_PROBLEMS } from './notification-problems';
import { LowBalanceLines } from './profile/low-balance-lines';
import { PreferencesRepository } from './profile/preferences.repository';
import {
  ListWebhookDeliveriesHandler,
  ListWebhookEndpointsHandler,
} from './queries/webhook-endpoint.queries';
import { NotificationsReactor } from './reactor/notifications.reactor';
import { WebhookEndpointsRepository } from './webhooks/endpoints.repository';
import { NotificationWorkers } from './workers/notification-workers';

/**
 * Notifications (PRODUCT.md §5, docs/notifications.md): the reactor that turns the global log into
 * alerts, webhook messages and emails (outboxes written in its checkpoint's transaction), the
 * workers that deliver them (roles worker and all), and the routes for endpoints, alert settings
 * and profiles. Global only to provide each account's low-balance line to the accounts feature
 * (ACCOUNT_LOW_BALANCE_LINES), which does not know this module.
 */
@Global()
@Module({
  imports: [ProjectionsModule],
  controllers: [WebhookEndpointsController, AccountNotificationsController],
  providers: [
    WebhookEndpointsRepository,
    PreferencesRepository,
    LowBalanceLines,
    { provide: ACCOUNT_LOW_BALANCE_LINES, useExisting: LowBalanceLines },
    NotificationWorkers,
    CreateWebhookEndpointHandler,
    DeleteWebhookEndpointHandler,
    RetryWebhookDeliveryHandler,
    ListWebhookEndpointsHandler,
    ListWebhookDeliveriesHandler,
    SetAlertSettingsHandler,
    SetProfileHandler,
    RecordCheckoutEmailHandler,
  ],
  exports: [ACCOUNT_LOW_BALANCE_LINES],
})
export class NotificationsModule {
  constructor(
    problems: ProblemCatalog,
    reactors: ReactorRegistry,
    config: AppConfig,
    clock: Clock,
  ) {
    problems.register(NOTIFICATION_PROBLEMS);
    reactors.register(
      new NotificationsReactor({
        lowBalanceThreshold: config.lowBalanceThreshold,
        expiringNoticeDays: config.notifications.expiringNoticeDays,
        emailsEnabled: config.notifications.email.smtpUrl !== null,
        now: () => clock.now(),
      }),
    );
  }
}
