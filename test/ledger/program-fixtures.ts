import type {
  AccountClosed,
  LedgerEventMetadata,
  MovedCredits,
  TransferDeclined,
  TransferReceived,
  TransferReturned,
  TransferSent,
} from '../../src/ledger';
import { CURRENT_SCHEMA_VERSION } from '../../src/ledger';
import { T0, TEST_ACTOR, amounts } from './fixtures';

/** Builders for the events of transfers, merges and closing (test/ledger/programs*.spec.ts). */

function meta(at = T0): LedgerEventMetadata {
  return {
    occurredAt: at,
    correlationId: 'corr-given',
    actor: TEST_ACTOR,
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
}

export function sent(
  transferId: string,
  to: string,
  drawdown: MovedCredits[],
  options: { at?: string; purpose?: 'transfer' | 'merge'; reason?: string; note?: string } = {},
): TransferSent {
  const { purpose = 'transfer', reason = purpose === 'merge' ? 'merge' : 'gift', note } = options;
  return {
    type: 'TransferSent',
    data: {
      transferId,
      to,
      credits: drawdown.reduce((sum, part) => sum + part.credits, 0),
      reason,
      purpose,
      drawdown,
      ...(note !== undefined && { note }),
    },
    metadata: meta(options.at),
  };
}

export function received(
  transferId: string,
  from: string,
  blocks: TransferReceived['data']['blocks'],
  options: { at?: string; purpose?: 'transfer' | 'merge'; note?: string } = {},
): TransferReceived {
  return {
    type: 'TransferReceived',
    data: {
      transferId,
      from,
      credits: blocks.reduce((sum, block) => sum + block.credits, 0),
      purpose: options.purpose ?? 'transfer',
      blocks,
      ...(options.note !== undefined && { note: options.note }),
    },
    metadata: meta(options.at),
  };
}

export function declined(
  transferId: string,
  from: string,
  credits: number,
  reason: 'account_closed' | 'balance_limit',
  purpose: 'transfer' | 'merge' = 'transfer',
): TransferDeclined {
  return {
    type: 'TransferDeclined',
    data: { transferId, from, credits, purpose, reason },
    metadata: meta(),
  };
}

export function returned(
  transferId: string,
  to: string,
  returnedTo: Record<string, number>,
  reason: 'account_closed' | 'balance_limit' = 'account_closed',
  at?: string,
  purpose: 'transfer' | 'merge' = 'transfer',
): TransferReturned {
  const parts = amounts(returnedTo);
  return {
    type: 'TransferReturned',
    data: {
      transferId,
      to,
      credits: parts.reduce((sum, part) => sum + part.credits, 0),
      purpose,
      reason,
      returnedTo: parts,
    },
    metadata: meta(at),
  };
}

export function closed(
  mergeId: string,
  into: string,
  credits: number,
  note?: string,
): AccountClosed {
  return {
    type: 'AccountClosed',
    data: { reason: 'merged', mergeId, into, credits, ...(note !== undefined && { note }) },
    metadata: meta(),
  };
}
