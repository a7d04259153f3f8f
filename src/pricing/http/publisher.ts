import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { actorOf } from '../../http/request-context';
import type { Publisher } from '../rate-card-stream';

/** Who publishes a card, for its event's metadata: the API key's name and the request id. */
export function publisherOf(request: AuthenticatedRequest): Publisher {
  return { correlationId: String(request.id), actor: actorOf(request) };
}
