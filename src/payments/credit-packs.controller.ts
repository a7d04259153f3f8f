import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRoute } from '../http/route-docs';
import { RequireScope } from '../http/auth/scopes.decorator';
import { CreditPackListResponse } from './dto';
import { ListCreditPacks } from './queries/list-credit-packs.query';

@ApiTags('payments')
@AuthenticatedRoute()
@Controller('v1/credit-packs')
export class CreditPacksController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * Scope `read`, like every route but docs, health, metrics and the webhook (API.md). The catalog
   * is configuration, so it answers even when Stripe is not configured.
   */
  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: "The credit packs for sale (prices from the server's catalog)" })
  @ApiOkResponse({ type: CreditPackListResponse })
  list(): Promise<CreditPackListResponse> {
    return this.queryBus.execute(new ListCreditPacks());
  }
}
