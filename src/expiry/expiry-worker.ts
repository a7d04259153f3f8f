import { randomUUID } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { ExpireDue } from '../accounts/commands';
import type { Clock } from '../shared/clock';
import { findDueAccounts } from './due-accounts';

export interface ExpiryRound {
  accounts: number;
  /** Expiry and release events written this round. */
  events: number;
  failures: number;
}

export interface ExpiryWorkerOptions {
  batchSize: number;
  /** Accounts expired at once within a round. */
  concurrency: number;
}

export const EXPIRY_WORKER_ACTOR = { kind: 'system', id: 'expiry-worker' } as const;

/**
 * Expires blocks past their expiresAt and releases holds past their deadline on accounts nobody
 * touches (LEDGER.md "Expiry"). It only finds candidates; the decision is the ordinary `expire`
 * command on the stream, which writes nothing when nothing is due. So several workers can run at
 * once: racing on one account, one appends and the other, retrying on the new state, finds nothing
 * left to do — every block expires exactly once.
 */
export class ExpiryWorker {
  constructor(
    private readonly pool: Pool,
    private readonly commandBus: CommandBus,
    private readonly clock: Clock,
    private readonly options: ExpiryWorkerOptions,
  ) {}

  async runOnce(): Promise<ExpiryRound> {
    const accounts = await findDueAccounts(this.pool, this.clock.now(), this.options.batchSize);
    const round: ExpiryRound = { accounts: accounts.length, events: 0, failures: 0 };
    const queue = [...accounts];
    const lanes = Array.from(
      { length: Math.min(this.options.concurrency, queue.length) },
      async () => {
        for (let accountId = queue.shift(); accountId !== undefined; accountId = queue.shift()) {
          try {
            const outcome = await this.commandBus.execute(
              new ExpireDue(
                accountId,
                { kind: 'expire' },
                {
                  correlationId: `expiry-${randomUUID()}`,
                  actor: EXPIRY_WORKER_ACTOR,
                },
              ),
            );
            round.events += outcome.events.length;
          } catch {
            round.failures += 1;
          }
        }
      },
    );
    await Promise.all(lanes);
    return round;
  }
}
