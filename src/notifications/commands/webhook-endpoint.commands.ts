import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../shared/clock';
import { WebhookUrlNotAllowedError } from '../errors';
import { WebhookEndpointsRepository, type WebhookEndpoint } from '../webhooks/endpoints.repository';
import { newWebhookSecret } from '../webhooks/signature';
import { checkDestination, checkUrlForm } from '../webhooks/url-policy';

export type CreatedEndpoint = WebhookEndpoint & { secret: string };

/** POST /v1/webhook-endpoints: the secret is in this answer only. */
export class CreateWebhookEndpoint extends Command<CreatedEndpoint> {
  constructor(
    readonly url: string,
    readonly events: string[],
    readonly description: string | null,
  ) {
    super();
  }
}

export class DeleteWebhookEndpoint extends Command<void> {
  constructor(readonly endpointId: string) {
    super();
  }
}

export class RetryWebhookDelivery extends Command<void> {
  constructor(
    readonly endpointId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}

@CommandHandler(CreateWebhookEndpoint)
export class CreateWebhookEndpointHandler implements ICommandHandler<
  CreateWebhookEndpoint,
  CreatedEndpoint
> {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ url, events, description }: CreateWebhookEndpoint): Promise<CreatedEndpoint> {
    const form = checkUrlForm(url);
    if (!form.ok) throw new WebhookUrlNotAllowedError(form.reason);
    if (!this.config.notifications.webhooks.allowPrivateUrls) {
      const destination = await checkDestination(form.url);
      if (!destination.ok) throw new WebhookUrlNotAllowedError(destination.reason);
    }
    const secret = newWebhookSecret();
    const endpoint = await this.endpoints.create(
      { url, events: [...new Set(events)], description, secret },
      this.clock.now(),
    );
    return { ...endpoint, secret };
  }
}

@CommandHandler(DeleteWebhookEndpoint)
export class DeleteWebhookEndpointHandler implements ICommandHandler<DeleteWebhookEndpoint, void> {
  constructor(private readonly endpoints: WebhookEndpointsRepository) {}

  execute({ endpointId }: DeleteWebhookEndpoint): Promise<void> {
    return this.endpoints.delete(endpointId);
  }
}

@CommandHandler(RetryWebhookDelivery)
export class RetryWebhookDeliveryHandler implements ICommandHandler<RetryWebhookDelivery, void> {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly clock: Clock,
  ) {}

  execute({ endpointId, deliveryId }: RetryWebhookDelivery): Promise<void> {
    return this.endpoints.retry(endpointId, deliveryId, this.clock.now());
  }
}
