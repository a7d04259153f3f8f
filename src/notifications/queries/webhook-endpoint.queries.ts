import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  WebhookEndpointsRepository,
  type DeliveryView,
  type WebhookEndpoint,
} from '../webhooks/endpoints.repository';

export class ListWebhookEndpoints extends Query<WebhookEndpoint[]> {}

/** The endpoint's deliveries, newest first. */
export class ListWebhookDeliveries extends Query<DeliveryView[]> {
  constructor(
    readonly endpointId: string,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(ListWebhookEndpoints)
export class ListWebhookEndpointsHandler implements IQueryHandler<
  ListWebhookEndpoints,
  WebhookEndpoint[]
> {
  constructor(private readonly endpoints: WebhookEndpointsRepository) {}

  execute(): Promise<WebhookEndpoint[]> {
    return this.endpoints.list();
  }
}

@QueryHandler(ListWebhookDeliveries)
export class ListWebhookDeliveriesHandler implements IQueryHandler<
  ListWebhookDeliveries,
  DeliveryView[]
> {
  constructor(private readonly endpoints: WebhookEndpointsRepository) {}

  execute({ endpointId, limit }: ListWebhookDeliveries): Promise<DeliveryView[]> {
    return this.endpoints.deliveries(endpointId, limit);
  }
}
