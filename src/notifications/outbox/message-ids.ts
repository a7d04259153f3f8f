import { createHash, randomBytes } from 'node:crypto';

/**
 * Ids derived from what caused them, so writing the same cause twice (a batch applied again) names
 * the same message: `msg_…` is the Standard Webhooks `webhook-id`, stable across every attempt.
 */
export function derivedId(prefix: 'msg' | 'eml', ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('base64url');
  return `${prefix}_${digest.slice(0, 27)}`;
}

export function randomId(prefix: 'ep' | 'dlv'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
