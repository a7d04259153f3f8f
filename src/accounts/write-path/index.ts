import type { Provider } from '@nestjs/common';
import { DATABASE, type Database } from '../../database/database';
import { AccountMailbox } from './account-mailbox';
import { AccountRepository } from './account-repository';
import { AccountSnapshots } from './account-snapshots';
import { CommandMetrics } from './command-metrics';
import { KeyedSerializer } from './keyed-serializer';
import { LedgerCommandHandler, MAX_QUEUED_COMMANDS_PER_ACCOUNT } from './ledger-command.handler';

/** Everything between a command handler and the event store: mailbox, state cache, snapshots. */
export const WRITE_PATH_PROVIDERS: Provider[] = [
  { provide: KeyedSerializer, useValue: new KeyedSerializer(MAX_QUEUED_COMMANDS_PER_ACCOUNT) },
  {
    provide: AccountSnapshots,
    inject: [DATABASE],
    useFactory: (database: Database) => new AccountSnapshots(database.pool),
  },
  AccountRepository,
  CommandMetrics,
  LedgerCommandHandler,
  AccountMailbox,
];
