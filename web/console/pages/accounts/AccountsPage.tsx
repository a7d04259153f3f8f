import type { ConsoleClient } from '../../api';
import { routeHref } from '../../routes';
import { AccountDetail } from './AccountDetail';
import { AccountSearch } from './AccountSearch';

/** Accounts (UI.md "The console"): find one, then everything about it. `#/accounts/<id>`. */
export function AccountsPage({ client, accountId }: { client: ConsoleClient; accountId: string }) {
  const open = (id: string) => {
    location.hash = routeHref('accounts', id);
  };
  return (
    <>
      <AccountSearch client={client} current={accountId} open={open} />
      {accountId !== '' && <AccountDetail key={accountId} client={client} accountId={accountId} />}
    </>
  );
}
