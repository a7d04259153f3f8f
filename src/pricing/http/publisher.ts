import type { AuthenticatedRequest } from '../../http/auth/api-key.guard';
import { OPEN_MODE_PRINCIPAL } from '../../http/auth/api-key-authenticator';
import type { Publisher } from '../rate-card-stream';

/** Who publishes a card, for its event's metadata: the API key's name and the request id. */
export function publisherOf(request: AuthenticatedRequest): Publisher {
  const principal = request.principal ?? OPEN_MODE_PRINCIPAL;
  return {
    correlationId: String(request.id),
    actor: { kind: principal.scopes.includes('admin') ? 'admin' : 'apiKey', id: principal.name },
  };
}
