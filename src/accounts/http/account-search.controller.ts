import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../http/auth/scopes.decorator';
import { AuthenticatedRoute } from '../../http/route-docs';
import {
  type AccountSearchPage,
  DEFAULT_SEARCH_LIMIT,
  SearchAccounts,
} from '../search/search-accounts.query';
import { AccountSearchPageResponse, AccountSearchQuery } from './dto/account-search';

/** The console's account search (issue 18): the balances read model, by accountId. */
@ApiTags('accounts')
@AuthenticatedRoute()
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
  @ApiResponse({ status: 400, description: 'validation_failed, errors[] naming each bad field' })
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
