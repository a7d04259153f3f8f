import type { MergeAccountCommand } from '../commands';
import type { EventDraft } from '../event-draft';
import { blocksNamed, isGone } from '../blocks';
import { takeLastDrawn, totalsByBlock } from '../block-amounts';
import { inDrawdownOrder } from '../drawdown';
import { dueHolds, expireReturnedCredits } from '../expiry';
import type { Situation } from './situation';
import { accept, type RulesOutcome } from './rules-outcome';
import { movedFrom } from './send-transfer';
import { noteOf } from './note';

/**
 * PRODUCT.md §2 "Lead credits": release the open holds (those past their deadline are released by
 * the lazy expiry in front), send every credit left to `into` as a transfer whose id is the
 * merge's (blocks as they are: one moved amount per block, category and expiry kept), and close
 * the account. Once ever: a repeat answers the first merge and moves nothing.
 */
export function decideMergeAccount(
  command: MergeAccountCommand,
  situation: Situation,
): RulesOutcome {
  const { state, view, nowMs } = situation;
  if (state.extras.closed !== null) {
    const { mergeId: _mergeId, into: _into, ...answer } = state.extras.closed;
    return { kind: 'noop', reason: 'repeated', answer };
  }
  const due = new Set(dueHolds(state, nowMs).map((hold) => hold.reservationId));
  const releases: EventDraft[] = [];
  const released: { blockId: string; credits: number }[] = [];
  for (const hold of Object.values(state.extras.reservations)) {
    if (due.has(hold.reservationId)) continue;
    const returnedTo = takeLastDrawn(hold.drawdown);
    releases.push(
      {
        type: 'ReservationReleased',
        data: {
          reservationId: hold.reservationId,
          credits: hold.credits,
          reason: 'released',
          returnedTo,
        },
      },
      ...expireReturnedCredits(state, returnedTo, nowMs),
    );
    released.push(...returnedTo);
  }
  const left = totalsByBlock(
    view.blocks.map(({ blockId, remaining }) => ({ blockId, credits: remaining })),
  );
  for (const [blockId, credits] of totalsByBlock(released)) {
    left.set(blockId, (left.get(blockId) ?? 0) + credits);
  }
  const kept = inDrawdownOrder(
    blocksNamed(state, left.keys()).filter((block) => !isGone(block, nowMs)),
  );
  const drawdown = movedFrom(
    situation,
    kept
      .map((block) => ({ blockId: block.blockId, credits: left.get(block.blockId) ?? 0 }))
      .filter((amount) => amount.credits > 0),
  );
  const credits = drawdown.reduce((sum, amount) => sum + amount.credits, 0);
  const sent: EventDraft[] =
    credits === 0
      ? []
      : [
          {
            type: 'TransferSent',
            data: {
              transferId: command.mergeId,
              to: command.into,
              credits,
              reason: 'merge',
              purpose: 'merge',
              drawdown,
              ...noteOf(command),
            },
          },
        ];
  return accept(...releases, ...sent, {
    type: 'AccountClosed',
    data: {
      reason: 'merged',
      mergeId: command.mergeId,
      into: command.into,
      credits,
      ...noteOf(command),
    },
  });
}
