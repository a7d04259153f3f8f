import type { CommandContext, LedgerCommand } from '../commands';
import type { RecalledSpendsView } from '../compact-state';
import type { LedgerState } from '../state';
import { withMetadata } from '../event-draft';
import { dueExpiryDrafts } from '../expiry';
import { rememberedCommand } from '../idempotency';
import type { EpochMs } from '../instants';
import { viewAtMs } from '../view';
import type { Decision } from './decision';
import { commandRules } from './command-rules';
import { commandMetadata, expiryMetadata } from './metadata';

/**
 * Never mutates `state`, and never copies it. The steps: an idempotent replay answers from memory;
 * otherwise what is due at `context.now` expires first, the command is decided on the account as it
 * is after that expiry (viewAt), and a rejection writes nothing at all, not even the expiry
 * (LEDGER.md invariant 3). `recalledSpends`: what is left of the spends the refunds being decided
 * name, for those the state may have forgotten (compact-state/recalled-spends.ts); without it a
 * refund sees only the spends the state remembers.
 */
export function decide(
  command: LedgerCommand,
  state: LedgerState,
  context: CommandContext,
  recalledSpends?: RecalledSpendsView,
): Decision {
  const nowMs = instantOf(context);
  const remembered = answerFromMemory(state, context, nowMs);
  if (remembered) return remembered;
  const closed = closedAccountRejection(command, state);
  if (closed) return closed;
  const outcome = commandRules(command, {
    state,
    view: viewAtMs(state, nowMs),
    nowMs,
    recalledSpends,
    purchaseRefsHeldElsewhere: context.purchaseRefsHeldElsewhere,
  });
  if (outcome.kind !== 'accepted') return outcome;
  const expiry = dueExpiryDrafts(state, nowMs).map((draft) =>
    withMetadata(draft, expiryMetadata(context)),
  );
  const metadata = commandMetadata(context);
  return {
    kind: 'accepted',
    events: [...expiry, ...outcome.events.map((draft) => withMetadata(draft, metadata))],
  };
}

function instantOf(context: CommandContext): EpochMs {
  const nowMs = context.now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('context.now is not a valid instant');
  return nowMs;
}

function answerFromMemory(
  state: LedgerState,
  context: CommandContext,
  nowMs: EpochMs,
): Decision | null {
  if (context.idempotencyKey === undefined) return null;
  const record = rememberedCommand(state, context.idempotencyKey, nowMs);
  if (!record) return null;
  if (record.requestHash === (context.requestHash ?? '')) return { kind: 'replayed', record };
  return {
    kind: 'rejected',
    rejection: { code: 'idempotency_key_reused', idempotencyKey: context.idempotencyKey },
  };
}

/**
 * Commands the ledger itself sends go on after an account is closed: expiry, the two steps of the
 * transfer process, a repeated merge (answered as the first), and the payment provider's reversals
 * (facts about money already paid). Every other write is refused (PRODUCT.md §2).
 */
const ALLOWED_WHEN_CLOSED: ReadonlySet<LedgerCommand['kind']> = new Set([
  'expire',
  'receive',
  'return',
  'merge',
  'reverse',
  'reinstate',
]);

function closedAccountRejection(command: LedgerCommand, state: LedgerState): Decision | null {
  if (state.extras.closed === null || ALLOWED_WHEN_CLOSED.has(command.kind)) return null;
  return {
    kind: 'rejected',
    rejection: { code: 'account_closed', mergedInto: state.extras.closed.into },
  };
}
