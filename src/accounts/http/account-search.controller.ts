import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import {
  type AccountSearchPage,
  DEFAULT_SEARCH_LIMIT,
  SearchAccounts,
} from '../search/search-accounts.query';
import { AccountSearchPageResponse, AccountSearchQuery } from './dto/account-search';

/** The console's account search (issue 18): the balances read model, by accountId. */
@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountSearchController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read', 'finance')
  @ApiOperation({
    summary: 'Find accounts by the start of their id (projected balances), ordered by accountId',
    description:
      'From the balances read model, so eventually consistent (an account appears once its first event is projected). ' +
      'Keyset-paged: pass nextCursor as `after` for the next page.',
  })
  @ApiOkResponse({ type: AccountSearchPageResponse })
  search(@Query() query: AccountSearchQuery): Promise<AccountSearchPage> {
    return this.queryBus.execute(
      new SearchAccounts(
        query.prefix ?? '',
        query.limit === undefined ? DEFAULT_SEARCH_LIMIT : Number(query.limit),
        query.after ?? null,
      ),
    );
  }
}
