import { QueryBus } from '@nestjs/cqrs';
import { GetBalance } from '../../src/accounts/queries/get-balance.query';
import type { BenchApp } from './bench-app';
import { accountIdOf } from './seed';

const WARM_CONCURRENCY = 32;

/**
 * Loads every bench account's state into the app's cache (a strongly consistent balance read
 * each), so that HTTP scenarios compared with each other all run on warm states, whichever runs
 * first: otherwise the first one pays for every cold load.
 */
export async function warmAccountStates(
  bench: BenchApp,
  prefix: string,
  accounts: number,
): Promise<void> {
  const queryBus = bench.app.get(QueryBus);
  let next = 1;
  const worker = async () => {
    while (next <= accounts) {
      const n = next++;
      await queryBus.execute(new GetBalance(accountIdOf(prefix, n)));
    }
  };
  await Promise.all(Array.from({ length: WARM_CONCURRENCY }, worker));
}
