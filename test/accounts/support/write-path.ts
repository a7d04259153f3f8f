import { AccountMailbox } from '../../../src/accounts/write-path/account-mailbox';
import { AccountRepository } from '../../../src/accounts/write-path/account-repository';
import { AnswerBuilder } from '../../../src/accounts/write-path/answer-builder';
import { CommandMetrics } from '../../../src/accounts/write-path/command-metrics';
import { RetryPolicy } from '../../../src/accounts/write-path/retry-policy';
import { SpendRecall } from '../../../src/accounts/write-path/spend-recall';
import { WriteAttempts } from '../../../src/accounts/write-path/write-attempts';
import type { AppConfig } from '../../../src/config/app-config';
import type { EventStore } from '../../../src/event-store/event-store.port';
import { MetricsRegistry } from '../../../src/observability/metrics-registry';
import type { Clock } from '../../../src/shared/clock';

/** One process's write path, wired as WRITE_PATH_PROVIDERS wires it, without Nest. */
export interface WritePath {
  repository: AccountRepository;
  mailbox: AccountMailbox;
  metrics: MetricsRegistry;
}

export function startWritePath(
  store: EventStore,
  config: AppConfig,
  clock: Clock,
  metrics = new MetricsRegistry({ collectProcessMetrics: false }),
): WritePath {
  const repository = new AccountRepository(store, config);
  const attempts = new WriteAttempts(repository, new SpendRecall(store), clock);
  const policy = new RetryPolicy(attempts, new AnswerBuilder(repository), config);
  const mailbox = new AccountMailbox(policy, new CommandMetrics(metrics));
  return { repository, mailbox, metrics };
}
