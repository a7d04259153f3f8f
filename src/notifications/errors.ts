/** Errors of the notifications feature, with no HTTP in them (notification-problems.ts maps them). */

/** An endpoint URL that is not http(s) or reaches a private network (400 url_not_allowed). */
export class WebhookUrlNotAllowedError extends Error {
  constructor(readonly reason: string) {
    super(`webhook URL not allowed: ${reason}`);
    this.name = 'WebhookUrlNotAllowedError';
  }
}

export class WebhookEndpointNotFoundError extends Error {
  constructor(readonly endpointId: string) {
    super(`no webhook endpoint ${endpointId}`);
    this.name = 'WebhookEndpointNotFoundError';
  }
}

export class WebhookDeliveryNotFoundError extends Error {
  constructor(
    readonly endpointId: string,
    readonly deliveryId: string,
  ) {
    super(`no delivery ${deliveryId} of endpoint ${endpointId}`);
    this.name = 'WebhookDeliveryNotFoundError';
  }
}

/** The service keeps at most MAX_WEBHOOK_ENDPOINTS endpoints (400). */
export class TooManyWebhookEndpointsError extends Error {
  constructor(readonly limit: number) {
    super(`at most ${limit} webhook endpoints`);
    this.name = 'TooManyWebhookEndpointsError';
  }
}
