import type { ReceiveTransferCommand } from '../commands';
import type { EventDraft } from '../event-draft';
import { MAX_BALANCE_CREDITS } from '../limits';
import { isDue } from '../instants';
import { lookup } from '../keyed-records';
import type { Situation } from './situation';
import { accept, type RulesOutcome } from './rules-outcome';
import { assertUnusedId } from './fresh-id';
import { noteOf } from './note';

/**
 * Second step of a transfer, on the destination. Never refused: the process must end either way.
 * Decided once per transferId (a redelivery writes nothing and answers with the event that decided
 * it); a closed account or one that would
 * pass the balance limit declines it for good, and the process returns the credits to the source.
 * A block whose expiry has passed on the way arrives expired: its credits are lost in the same
 * append, as they would have been at the source.
 */
export function decideReceiveTransfer(
  command: ReceiveTransferCommand,
  { state, view, nowMs }: Situation,
): RulesOutcome {
  const decided = lookup(state.extras.transfersIn, command.transferId);
  if (decided !== undefined) {
    const { balance, available, reserved } = view;
    const { revision } = decided;
    const answer = {
      firstRevision: revision,
      lastRevision: revision,
      balance,
      available,
      reserved,
    };
    return { kind: 'noop', reason: 'repeated', answer };
  }
  const credits = command.blocks.reduce((sum, block) => sum + block.credits, 0);
  const declined = (reason: 'account_closed' | 'balance_limit') =>
    accept({
      type: 'TransferDeclined',
      data: {
        transferId: command.transferId,
        from: command.from,
        credits,
        purpose: command.purpose,
        reason,
      },
    });
  if (state.extras.closed !== null) return declined('account_closed');
  if (view.balance + credits > MAX_BALANCE_CREDITS) return declined('balance_limit');
  for (const block of command.blocks) assertUnusedId(state.blocks, block.blockId, 'block');
  const lostOnTheWay: EventDraft[] = command.blocks
    .filter((block) => isDue(block.expiresAt ?? null, nowMs))
    .map((block) => ({
      type: 'CreditsExpired',
      data: { blockId: block.blockId, credits: block.credits },
    }));
  return accept(
    {
      type: 'TransferReceived',
      data: {
        transferId: command.transferId,
        from: command.from,
        credits,
        purpose: command.purpose,
        blocks: command.blocks.map((block) => ({ ...block })),
        ...noteOf(command),
      },
    },
    ...lostOnTheWay,
  );
}
