import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AppConfig } from '../config/app-config';
import { GetWidgetsConfig } from './get-widgets-config.query';
import type { WidgetsConfigResponse } from './widgets-config.dto';

@QueryHandler(GetWidgetsConfig)
export class GetWidgetsConfigHandler implements IQueryHandler<
  GetWidgetsConfig,
  WidgetsConfigResponse
> {
  constructor(private readonly config: AppConfig) {}

  execute(): Promise<WidgetsConfigResponse> {
    return Promise.resolve({
      stripePublishableKey: this.config.stripe.publishableKey,
      lowBalanceThreshold: this.config.lowBalanceThreshold,
    });
  }
}
