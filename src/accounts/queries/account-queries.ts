import { Injectable } from '@nestjs/common';
import { evolve, viewAt } from '../../ledger/decider';
import { lookup } from '../../ledger/keyed-records';
import type { CreditBlock, OpenReservation } from '../../ledger/state';
import { toLedgerEvent } from '../../ledger/upcast';
import { reportedPeriod, usageAt } from '../../ledger/programs/pool-usage';
import type { PoolMember } from './get-pool-members.query';
import { Clock } from '../../shared/clock';
import { AccountRepository } from '../write-path/account-repository';
import { AccountMailbox } from '../write-path/account-mailbox';

export interface BalanceAnswer {
  accountId: string;
  balance: number;
  available: number;
  reserved: number;
  blocks: CreditBlock[];
  /** The account's stream revision the answer reflects; -1 when the account has no events. */
  revision: number;
}

export interface CheckAnswer {
  sufficient: boolean;
  available: number;
  balance: number;
}

/**
 * Strongly consistent reads from the write side: the cached state plus the stream's tail, so an
 * answer includes every committed event, whichever process wrote it.
 */
@Injectable()
export class AccountQueries {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly mailbox: AccountMailbox,
    private readonly clock: Clock,
  ) {}

  balance(accountId: string): Promise<BalanceAnswer> {
    // A turn in the account's queue: the answer includes every command queued before it.
    return this.mailbox.runExclusive(accountId, async () => {
      const state = await this.accounts.refresh(accountId);
      const view = viewAt(state, this.clock.now());
      return { accountId, ...view, revision: state.revision };
    });
  }

  /** The balance as it was at `at`: the stream folded up to that instant. */
  async balanceAt(accountId: string, at: Date): Promise<BalanceAnswer> {
    const state = this.accounts.newState();
    for (const recorded of await this.accounts.readStream(accountId)) {
      const event = toLedgerEvent(recorded);
      if (new Date(event.metadata.occurredAt).getTime() > at.getTime()) break;
      evolve(state, event);
    }
    const view = viewAt(state, at);
    return { accountId, ...view, revision: state.revision };
  }

  /**
   * The hold as the account has it now (strongly consistent, like balance), or null when it is not
   * open. Read to price a capture at the hold's card version before the capture is sent.
   */
  openHold(accountId: string, reservationId: string): Promise<OpenReservation | null> {
    return this.mailbox.runExclusive(accountId, async () => {
      const state = await this.accounts.refresh(accountId);
      const hold = lookup(state.extras.reservations, reservationId);
      // A copy: the cached state is folded in place by the next write.
      return hold === undefined ? null : structuredClone(hold);
    });
  }

  /** An organization pool's members with their use in the current period (PRODUCT.md §3). */
  poolMembers(accountId: string, memberId?: string): Promise<PoolMember[]> {
    return this.mailbox.runExclusive(accountId, async () => {
      const state = await this.accounts.refresh(accountId);
      const nowMs = this.clock.now().getTime();
      const ids =
        memberId === undefined
          ? Object.keys(state.extras.members).sort()
          : lookup(state.extras.members, memberId)
            ? [memberId]
            : [];
      return ids.map((id) => {
        const member = lookup(state.extras.members, id)!;
        const period = reportedPeriod(member);
        return {
          memberId: id,
          limit: member.limit && { ...member.limit },
          period,
          ...usageAt(member, period, nowMs),
        };
      });
    });
  }

  async check(accountId: string, credits: number): Promise<CheckAnswer> {
    const { available, balance } = await this.balance(accountId);
    return { sufficient: available >= credits, available, balance };
  }
}
