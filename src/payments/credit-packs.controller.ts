import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRoute } from '../http/route-docs';
import { RequireScope } from '../http/auth/scopes.decorator';
import { CreditPackCatalog } from './credit-pack-catalog';
import { CreditPackListResponse } from './dto';

@ApiTags('payments')
@AuthenticatedRoute()
@Controller('v1/credit-packs')
export class CreditPacksController {
  constructor(private readonly catalog: CreditPackCatalog) {}

  /**
   * Scope `read`, like every route but docs, health, metrics and the webhook (API.md). The catalog
   * is configuration, so it answers even when Stripe is not configured.
   */
  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: "The credit packs for sale (prices from the server's catalog)" })
  @ApiOkResponse({ type: CreditPackListResponse })
  list(): CreditPackListResponse {
    return {
      data: this.catalog.list().map((pack) => ({
        packId: pack.packId,
        name: pack.name,
        credits: pack.credits,
        price: { minor: pack.price.minor, currency: pack.price.currency },
        popular: pack.popular,
        ...(pack.expiresAfterDays !== null && { expiresAfterDays: pack.expiresAfterDays }),
      })),
    };
  }
}
