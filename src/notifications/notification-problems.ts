import { problem, validationProblem } from '../http/errors/problem';
import { mapError, type ProblemMappings } from '../http/errors/problem-mapping';
import {
  TooManyWebhookEndpointsError,
  WebhookDeliveryNotFoundError,
  WebhookEndpointNotFoundError,
  WebhookUrlNotAllowedError,
} from './errors';

/** The notifications feature's errors as problems (registered by NotificationsModule). */
export const NOTIFICATION_PROBLEMS: ProblemMappings = [
  mapError(WebhookUrlNotAllowedError, (error) =>
    problem('url_not_allowed', `The endpoint URL is not allowed: it ${error.reason}`, {
      errors: [{ field: 'url', message: error.reason }],
    }),
  ),
  mapError(WebhookEndpointNotFoundError, (error) =>
    problem('not_found', `No webhook endpoint ${error.endpointId}`),
  ),
  mapError(WebhookDeliveryNotFoundError, (error) =>
    problem('not_found', `No delivery ${error.deliveryId} of webhook endpoint ${error.endpointId}`),
  ),
  mapError(TooManyWebhookEndpointsError, (error) =>
    validationProblem(
      [{ field: 'url', message: `at most ${error.limit} endpoints; delete one first` }],
      `The service keeps at most ${error.limit} webhook endpoints`,
    ),
  ),
];
