import type { LedgerCommand } from '../commands';
import type { Situation } from './situation';
import { accept, type CommandOutcome } from './outcome';
import { decidePurchase } from './purchase';
import { decideGrant } from './grant';
import { decideSpend } from './spend';
import { decideRefund } from './refund';
import { decideReserve } from './reserve';
import { decideCapture } from './capture';
import { decideRelease } from './release';
import { decideReverse } from './reverse';
import { decideReinstate } from './reinstate';

/** The rules of one command, on the account as it is once everything due has expired. */
export function decideCommand(command: LedgerCommand, situation: Situation): CommandOutcome {
  switch (command.kind) {
    case 'purchase':
      return decidePurchase(command, situation);
    case 'grant':
      return decideGrant(command, situation);
    case 'spend':
      return decideSpend(command, situation);
    case 'refund':
      return decideRefund(command, situation);
    case 'reserve':
      return decideReserve(command, situation);
    case 'capture':
      return decideCapture(command, situation);
    case 'release':
      return decideRelease(command, situation);
    // Expire has no rules of its own: the lazy expiry in front of every command is all it does.
    case 'expire':
      return accept();
    case 'reverse':
      return decideReverse(command, situation);
    case 'reinstate':
      return decideReinstate(command, situation);
    default: {
      const unknown: never = command;
      throw new Error(`unknown ledger command ${(unknown as { kind: string }).kind}`);
    }
  }
}
