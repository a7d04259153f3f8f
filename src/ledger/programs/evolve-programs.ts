import type {
  AccountClosed,
  TransferDeclined,
  TransferReceived,
  TransferReturned,
  TransferSent,
} from '../events';
import type { AnsweredCommand, LedgerState } from '../state';
import { adjustRemaining } from '../blocks';
import { copyAmounts } from '../block-amounts';
import { LedgerInvariantError } from '../errors';
import { lookup } from '../keyed-records';
import { ownExtras, putInState } from '../compact-state';

type ProgramEvent =
  TransferSent | TransferReceived | TransferDeclined | TransferReturned | AccountClosed;

/** Folds the events of credits that move between accounts (transfers, merges) and of closing. */
export function applyProgramEvent(state: LedgerState, event: ProgramEvent): void {
  switch (event.type) {
    case 'TransferSent':
      return applySent(state, event);
    case 'TransferReceived':
      return applyReceived(state, event);
    case 'TransferDeclined':
      putInState(state, 'transfersIn', event.data.transferId, {
        status: 'declined',
        revision: state.revision,
      });
      return;
    case 'TransferReturned':
      return applyReturned(state, event);
    case 'AccountClosed':
      ownExtras(state).closed = {
        ...answeredAt(state),
        mergeId: event.data.mergeId,
        into: event.data.into,
      };
      return;
  }
}

/** The account right after the event just folded: what a repeat of a once-ever command answers. */
export function answeredAt(state: LedgerState): AnsweredCommand {
  return {
    firstRevision: state.revision,
    lastRevision: state.revision,
    balance: state.unexpiredRemaining + state.reserved,
    available: state.unexpiredRemaining,
    reserved: state.reserved,
  };
}

function applySent(state: LedgerState, { data }: TransferSent): void {
  for (const { blockId, credits } of data.drawdown) adjustRemaining(state, blockId, -credits);
  putInState(state, 'transfersOut', data.transferId, {
    to: data.to,
    credits: data.credits,
    purpose: data.purpose,
    drawdown: data.drawdown.map(({ blockId, credits }) => ({ blockId, credits })),
    returned: false,
  });
}

function applyReceived(state: LedgerState, { data, metadata }: TransferReceived): void {
  for (const block of data.blocks) {
    putInState(state, 'blocks', block.blockId, {
      blockId: block.blockId,
      category: block.category === 'paid' ? 'paid' : 'promotional',
      source: 'transfer',
      credits: block.credits,
      remaining: 0,
      grantedAt: metadata.occurredAt,
      expiresAt: block.expiresAt ?? null,
      expired: false,
    });
    adjustRemaining(state, block.blockId, block.credits);
  }
  putInState(state, 'transfersIn', data.transferId, {
    status: 'received',
    revision: state.revision,
  });
}

function applyReturned(state: LedgerState, { data }: TransferReturned): void {
  const sent = lookup(state.extras.transfersOut, data.transferId);
  if (!sent) throw new LedgerInvariantError(`return of unknown transfer ${data.transferId}`);
  if (sent.returned) throw new LedgerInvariantError(`transfer ${data.transferId} returned twice`);
  for (const { blockId, credits } of data.returnedTo) adjustRemaining(state, blockId, credits);
  putInState(state, 'transfersOut', data.transferId, {
    ...sent,
    drawdown: copyAmounts(sent.drawdown),
    returned: true,
  });
}
