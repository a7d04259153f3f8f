import { Injectable } from '@nestjs/common';
import type { Projection } from '../projection';

/**
 * Reactors: consumers of the global log that act on what happened (an outbox of webhooks, the
 * second leg of a transfer, a referral reward) rather than build a rebuildable read model. Each
 * is run by the same projector as a projection — its own checkpoint, stored in the same
 * transaction as whatever `apply` writes, one active instance per name by advisory lock — in the
 * roles that run projectors. Unlike a projection it is never rebuilt or verified (`ledger
 * rebuild` would re-send what it already sent), so `tables` is empty and its effects must be
 * idempotent: after a crash the last batch is applied again.
 *
 * A feature module registers its reactors from its constructor, like its problems:
 * `constructor(reactors: ReactorRegistry) { reactors.register(myReactor); }`.
 */
@Injectable()
export class ReactorRegistry {
  private readonly reactors = new Map<string, Projection>();

  register(reactor: Projection): void {
    if (reactor.tables.length > 0) {
      throw new Error(`reactor ${reactor.name} owns tables: a reactor is never truncated`);
    }
    if (this.reactors.has(reactor.name))
      throw new Error(`reactor ${reactor.name} registered twice`);
    this.reactors.set(reactor.name, reactor);
  }

  list(): readonly Projection[] {
    return [...this.reactors.values()];
  }
}
