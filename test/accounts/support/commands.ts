import { randomUUID } from 'node:crypto';
import type { CallerContext } from '../../../src/accounts/write-path/caller-context';
import type { LedgerCommand } from '../../../src/ledger/commands';

/** The caller every write-path test submits as. */
export const CALLER: CallerContext = {
  correlationId: 'test',
  actor: { kind: 'apiKey', id: 'svc' },
};

/** A paid grant (an adjustment) into a new block unless `blockId` names one. */
export function grant(credits: number, blockId = `block_${randomUUID()}`): LedgerCommand {
  return { kind: 'grant', blockId, credits, category: 'paid', reason: 'adjustment' };
}

export function spend(credits: number, spendId = `spend_${randomUUID()}`): LedgerCommand {
  return { kind: 'spend', spendId, credits, description: 'test' };
}

/** A refund of `spendId`: of `credits`, or of all that is left of it without them. */
export function refund(spendId: string, credits?: number): LedgerCommand {
  return {
    kind: 'refund',
    refundId: `refund_${randomUUID()}`,
    spendId,
    reason: 'failed',
    ...(credits !== undefined && { credits }),
  };
}
