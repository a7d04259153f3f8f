import type { Provider } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { AccountMailbox } from './account-mailbox';
import { AccountRepository } from './account-repository';
import { AccountSnapshots } from './account-snapshots';
import { AnswerBuilder } from './answer-builder';
import { CommandMetrics } from './command-metrics';
import { KeyedSerializer } from './keyed-serializer';
import { LedgerCommandHandler } from './ledger-command.handler';
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
  SpendRecall,
  CommandMetrics,
  WriteAttempts,
  AnswerBuilder,
  RetryPolicy,
  AccountMailbox,
  // Compatibility shims for callers being rewritten in parallel; delete at merge.
  KeyedSerializer,
  LedgerCommandHandler,
];
