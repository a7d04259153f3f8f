import { Injectable } from '@nestjs/common';
import { AccountMailbox } from './account-mailbox';

export { QueueFullError } from './errors';

/**
 * @deprecated COMPATIBILITY SHIM, to be deleted at merge: inject AccountMailbox and call
 * runExclusive. Kept for AccountQueries (strongly consistent reads), whose owner moves it. It
 * used to be a second bounded queue per account beside the mailbox's; now a turn in the one queue.
 */
@Injectable()
export class KeyedSerializer {
  constructor(private readonly mailbox: AccountMailbox) {}

  run<T>(accountId: string, task: () => Promise<T>): Promise<T> {
    return this.mailbox.runExclusive(accountId, task);
  }
}
