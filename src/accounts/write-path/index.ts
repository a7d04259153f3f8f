import type { Provider } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { AccountCacheMetrics } from './account-cache-metrics';
import { AccountMailbox } from './account-mailbox';
import { AccountRepository } from './account-repository';
import { AccountSnapshots } from './account-snapshots';
import { AnswerBuilder } from './answer-builder';
import { CommandMetrics } from './command-metrics';
import { RetryPolicy } from './retry-policy';
import { SpendRecall } from './spend-recall';
import { WriteAttempts } from './write-attempts';

/**
 * Everything between a command handler and the event store (docs/write-path.md): the mailbox, the
 * retry policy and its attempts, the answers, the state cache and snapshots, the spend recall.
 */
export const WRITE_PATH_PROVIDERS: Provider[] = [
  {
    provide: AccountSnapshots,
    inject: [DATABASE],
    useFactory: (database: Database) => new AccountSnapshots(database.pool),
  },
  AccountRepository,
  AccountCacheMetrics,
  SpendRecall,
  CommandMetrics,
  WriteAttempts,
  AnswerBuilder,
  RetryPolicy,
  AccountMailbox,
];
