import type { FastifyReply } from 'fastify';
import type { WriteOutcome } from '../accounts/write-path/write-outcome';

/** As every ledger write route: an answer given again (Idempotency-Key, or a once-ever command). */
export function markReplayed(reply: FastifyReply, outcome: WriteOutcome): void {
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
}
